import { useService } from '../../../../testing/http';
import { importReportWire } from '../../../../testing/wire';
import { TransferClient, fileNameOf } from './transfer-client';

describe('TransferClient', () => {
  const bed = useService(TransferClient);

  it('checks a file as a text/csv body and words each bad line', async () => {
    const report = bed.service.importBalances(3, 'phone_number,points\n12,5\n', true);
    const req = bed.httpMock.expectOne((r) => r.url === '/businesses/3/import/balances');
    expect(req.request.method).toBe('POST');
    expect(req.request.params.get('dry_run')).toBe('true');
    expect(req.request.headers.get('Content-Type')).toBe('text/csv');
    expect(req.request.body).toBe('phone_number,points\n12,5\n');
    req.flush(
      importReportWire({
        rows: 1,
        errors: [{ line: 2, reason: "phone_number '12' is not a valid phone number" }],
      }),
    );
    expect(await report).toEqual({
      dryRun: true,
      rows: 1,
      valid: 0,
      imported: 0,
      alreadyImported: 0,
      points: 0,
      problems: [{ line: 2, reason: '“12” is not a valid phone number.' }],
    });
  });

  it('applies with dry_run=false', async () => {
    const report = bed.service.importBalances(3, 'phone_number,points\n', false);
    const req = bed.httpMock.expectOne((r) => r.url === '/businesses/3/import/balances');
    expect(req.request.params.get('dry_run')).toBe('false');
    req.flush(importReportWire({ dry_run: false }));
    expect((await report).dryRun).toBe(false);
  });

  it('downloads an export as a blob under the server’s file name', async () => {
    const file = bed.service.exportCsv(3, 'transactions');
    const req = bed.httpMock.expectOne('/businesses/3/export/transactions.csv');
    expect(req.request.responseType).toBe('blob');
    req.flush(new Blob(['id,timestamp\n'], { type: 'text/csv' }), {
      headers: {
        'Content-Disposition': 'attachment; filename="business-3-transactions-20261202.csv"',
      },
    });
    const saved = await file;
    expect(saved.fileName).toBe('business-3-transactions-20261202.csv');
    expect(await saved.blob.text()).toBe('id,timestamp\n');
  });

  it('keeps the refusal’s name when the error body arrives as a blob', async () => {
    const file = bed.service.exportCsv(3, 'customers');
    bed.httpMock
      .expectOne('/businesses/3/export/customers.csv')
      .error(new ProgressEvent('error'), { status: 0 });
    await expect(file).rejects.toMatchObject({ status: 0 });

    const refused = bed.service.exportCsv(3, 'customers');
    const body = new Blob([JSON.stringify({ detail: 'Owners only', error: 'OwnerOnly' })]);
    bed.httpMock
      .expectOne('/businesses/3/export/customers.csv')
      .flush(body, { status: 403, statusText: 'Forbidden' });
    await expect(refused).rejects.toMatchObject({ status: 403, code: 'OwnerOnly' });
  });

  it('reads the file name from Content-Disposition', () => {
    expect(fileNameOf('attachment; filename="a.csv"')).toBe('a.csv');
    expect(fileNameOf("attachment; filename*=UTF-8''b%20c.csv")).toBe('b c.csv');
    expect(fileNameOf(null)).toBeNull();
  });
});
