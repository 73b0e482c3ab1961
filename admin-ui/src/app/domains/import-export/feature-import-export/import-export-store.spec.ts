import { TestBed } from '@angular/core/testing';

import { businessSession, flushError, useService } from '../../../../testing/http';
import { settle } from '../../../../testing/dom';
import { importReportWire } from '../../../../testing/wire';
import { FileSaver } from '../util/file-saver';
import { IMPORT_MAX_BYTES, ImportExportStore } from './import-export-store';

const CSV = 'phone_number,points\n0771234567,120\n12,5\n';

/** The check of CSV: line 3 is refused. */
function report(fields: object = {}) {
  return importReportWire({
    rows: 2,
    valid: 1,
    points: 120,
    errors: [{ line: 3, reason: "phone_number '12' is not a valid phone number" }],
    ...fields,
  });
}

/** Records what the page handed the browser to save (jsdom cannot download). */
class SavedFiles {
  readonly files: { name: string; size: number }[] = [];
  save(blob: Blob, fileName: string): void {
    this.files.push({ name: fileName, size: blob.size });
  }
}

describe('ImportExportStore', () => {
  const saved = new SavedFiles();
  const bed = useService(ImportExportStore, {
    providers: [businessSession(), { provide: FileSaver, useValue: saved }],
  });

  /** Choose a file; resolves once its check is sent, with the choice's own promise. */
  async function choose(text = CSV, name = 'balances.csv'): Promise<{ done: Promise<void> }> {
    const done = bed.service.chooseFile(new File([text], name, { type: 'text/csv' }));
    await settle();
    return { done };
  }

  it('checks a chosen file at once, then applies it', async () => {
    const { done: checked } = await choose();
    const dry = bed.httpMock.expectOne((r) => r.url === '/businesses/3/import/balances');
    expect(dry.request.params.get('dry_run')).toBe('true');
    expect(dry.request.body).toBe(CSV);
    expect(bed.service.busy()).toBe('checking');
    dry.flush(report());
    await checked;
    expect(bed.service.fileName()).toBe('balances.csv');
    expect(bed.service.checked()?.problems).toEqual([
      { line: 3, reason: '“12” is not a valid phone number.' },
    ]);
    expect(bed.service.toImport()).toBe(1);

    const applying = bed.service.apply();
    const apply = bed.httpMock.expectOne((r) => r.url === '/businesses/3/import/balances');
    expect(apply.request.params.get('dry_run')).toBe('false');
    expect(apply.request.body).toBe(CSV);
    apply.flush(report({ dry_run: false, imported: 1 }));
    await applying;
    expect(bed.service.checked()).toBeNull();
    expect(bed.service.applied()?.imported).toBe(1);
    expect(bed.service.busy()).toBeNull();
  });

  it('counts what was imported before as nothing to import', async () => {
    const { done: checked } = await choose();
    bed.httpMock
      .expectOne((r) => r.url === '/businesses/3/import/balances')
      .flush(report({ already_imported: 1, points: 0 }));
    await checked;
    expect(bed.service.toImport()).toBe(0);
  });

  it('refuses a file too large without sending it', async () => {
    const big = new File(['x'], 'big.csv');
    Object.defineProperty(big, 'size', { value: IMPORT_MAX_BYTES + 1 });
    await bed.service.chooseFile(big);
    expect(bed.service.importProblem()).toBe(
      'This file is too large to import in one go (at most 8 MB): split it.',
    );
    bed.httpMock.expectNone((r) => r.url === '/businesses/3/import/balances');
  });

  it('says why a whole file is refused, in words', async () => {
    const { done: checked } = await choose('name,balance\n');
    flushError(
      bed.httpMock.expectOne((r) => r.url === '/businesses/3/import/balances'),
      422,
      'InvalidImportFile',
    );
    await checked;
    expect(bed.service.importProblem()).toMatch(
      /^Not checked\. This file cannot be read\. It must be a CSV file/,
    );
    expect(bed.service.checked()).toBeNull();
  });

  it('downloads an export and hands it to the browser under its name', async () => {
    const download = bed.service.download('customers');
    expect(bed.service.busy()).toBe('customers');
    TestBed.tick();
    bed.httpMock
      .expectOne('/businesses/3/export/customers.csv')
      .flush(new Blob(['phone_number\n']), {
        headers: { 'Content-Disposition': 'attachment; filename="business-3-customers.csv"' },
      });
    await download;
    expect(saved.files.at(-1)).toEqual({ name: 'business-3-customers.csv', size: 13 });
    expect(bed.service.saved()).toBe('business-3-customers.csv');
    expect(bed.service.busy()).toBeNull();
  });

  it('says when an export could not be downloaded', async () => {
    const download = bed.service.download('transactions');
    bed.httpMock
      .expectOne('/businesses/3/export/transactions.csv')
      .flush(new Blob([JSON.stringify({ detail: 'x', error: 'OwnerOnly' })]), {
        status: 403,
        statusText: 'Forbidden',
      });
    await download;
    expect(bed.service.exportProblem()).toBe('Not downloaded. Only the owner can do this.');
  });
});
