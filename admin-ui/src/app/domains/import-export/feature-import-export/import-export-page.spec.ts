import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture } from '@angular/core/testing';

import { businessSession, setUpPage } from '../../../../testing/http';
import { clickButton, settle, textOf } from '../../../../testing/dom';
import { importReportWire } from '../../../../testing/wire';
import { FileSaver } from '../util/file-saver';
import { ImportExportPage } from './import-export-page';

/** The loyalty service's reason for line 3 of the file below. */
const NEGATIVE = { line: 3, reason: 'points must not be negative' };

describe('ImportExportPage', () => {
  let fixture: ComponentFixture<ImportExportPage>;
  let httpMock: HttpTestingController;

  beforeEach(async () => {
    ({ fixture, httpMock } = setUpPage(ImportExportPage, {
      providers: [businessSession(), { provide: FileSaver, useValue: { save: () => undefined } }],
    }));
    fixture.detectChanges();
    await settle(fixture);
  });

  afterEach(() => httpMock.verify());

  async function chooseFile(text: string): Promise<void> {
    const input = (fixture.nativeElement as HTMLElement).querySelector(
      'input[type=file]',
    ) as HTMLInputElement;
    Object.defineProperty(input, 'files', {
      value: [new File([text], 'old-system.csv', { type: 'text/csv' })],
    });
    input.dispatchEvent(new Event('change'));
    await settle(fixture);
  }

  it('shows the dry run with each bad line, then imports the rest', async () => {
    await chooseFile('phone_number,points\n0771234567,120\n0772222222,-5\n');
    httpMock
      .expectOne((r) => r.url === '/businesses/3/import/balances')
      .flush(importReportWire({ rows: 2, valid: 1, points: 120, errors: [NEGATIVE] }));
    await settle(fixture);
    expect(textOf(fixture, '[data-testid="import-report"]')).toContain(
      'Check of old-system.csv (nothing imported yet)',
    );
    expect(textOf(fixture, '[data-testid="import-ready"]')).toContain('1');
    expect(textOf(fixture, '[data-testid="import-ready"]')).toContain('120 points');
    expect(textOf(fixture, '[data-testid="import-problems"]')).toBe(
      'Line 3: The points cannot be negative.',
    );

    clickButton(fixture, 'Import 1 balance');
    await settle(fixture);
    httpMock
      .expectOne((r) => r.url === '/businesses/3/import/balances')
      .flush(
        importReportWire({
          dry_run: false,
          rows: 2,
          valid: 1,
          imported: 1,
          points: 120,
          errors: [NEGATIVE],
        }),
      );
    await settle(fixture);
    expect(textOf(fixture, '[data-testid="import-done"]')).toBe(
      'Imported 1 balance (120 points). 1 line with a problem was left out.',
    );
    expect(textOf(fixture)).not.toContain('Check of');
  });

  it('offers nothing to import when every line was imported before', async () => {
    await chooseFile('phone_number,points\n0771234567,120\n');
    httpMock
      .expectOne((r) => r.url === '/businesses/3/import/balances')
      .flush(importReportWire({ rows: 1, valid: 1, already_imported: 1 }));
    await settle(fixture);
    expect(textOf(fixture)).toContain('Nothing new to import in this file.');
    const button = Array.from(
      (fixture.nativeElement as HTMLElement).querySelectorAll('button'),
    ).find((b) => b.textContent?.includes('Import 0 balances'));
    expect(button?.disabled).toBe(true);
  });
});
