/**
 * The import & export page's state: the chosen CSV file and its dry run (every bad line and
 * why), the result of applying it, and the exports being downloaded. Choosing a file checks
 * it at once (a dry run changes nothing); applying sends the same text again with
 * `dry_run=false`. Writable signals stay private; the page reads the views and changes state
 * only through the methods. Provided by the page, so the state lives as long as the page.
 */
import { Service, computed, inject, signal } from '@angular/core';

import { Session } from '../../../core/auth/session';
import { humanMessage } from '../../shared/util/messages';
import { ExportKind, ImportReport, TransferClient } from '../data/transfer-client';
import { FileSaver } from '../util/file-saver';

/** The largest file the loyalty service imports in one go (its `LOYALTY_IMPORT_MAX_BYTES`). */
export const IMPORT_MAX_BYTES = 8 * 1024 * 1024;

/** The refusals of a whole file, in the page's words. */
const IMPORT_REFUSALS = {
  ImportTooLarge: 'This file is too large to import in one go (at most 8 MB): split it.',
  413: 'This file is too large to import in one go (at most 8 MB): split it.',
  InvalidImportFile:
    'This file cannot be read. It must be a CSV file (UTF-8 text) of at most 200,000 lines whose first line is phone_number,points (a note column may follow).',
  DailyAwardLimitReached:
    "These points go above your business's daily award limit, so nothing was imported. Ask the platform's operator to raise it for the move.",
} as const;

/** What the page is waiting for. */
export type Busy = 'checking' | 'importing' | ExportKind;

/** The chosen file, read. */
interface ChosenFile {
  readonly name: string;
  readonly text: string;
}

@Service({ autoProvided: false })
export class ImportExportStore {
  readonly #session = inject(Session);
  readonly #client = inject(TransferClient);
  readonly #saver = inject(FileSaver);

  readonly #file = signal<ChosenFile | null>(null);
  readonly #checked = signal<ImportReport | null>(null);
  readonly #applied = signal<ImportReport | null>(null);
  readonly #busy = signal<Busy | null>(null);
  readonly #importProblem = signal<string | null>(null);
  readonly #exportProblem = signal<string | null>(null);
  readonly #saved = signal<string | null>(null);

  /** The chosen file's name, or null. */
  readonly fileName = computed(() => this.#file()?.name ?? null);
  /** The dry run of the chosen file (what applying would do), or null. */
  readonly checked = this.#checked.asReadonly();
  /** What applying the file did, or null. */
  readonly applied = this.#applied.asReadonly();
  /** What the page waits for (a check, the import, an export), or null. */
  readonly busy = this.#busy.asReadonly();
  /** Why the file was refused as a whole (too large, not a CSV…), or null. */
  readonly importProblem = this.#importProblem.asReadonly();
  /** Why the last export failed, or null. */
  readonly exportProblem = this.#exportProblem.asReadonly();
  /** The name of the file the last export saved, or null. */
  readonly saved = this.#saved.asReadonly();
  /** How many customers applying would give a balance (valid, not imported before). */
  readonly toImport = computed(() => {
    const report = this.#checked();
    return report ? report.valid - report.alreadyImported : 0;
  });

  /** Take `file` (from the file picker) and check it at once. */
  async chooseFile(file: File | null): Promise<void> {
    this.#file.set(null);
    this.#checked.set(null);
    this.#applied.set(null);
    this.#importProblem.set(null);
    if (!file) {
      return;
    }
    if (file.size > IMPORT_MAX_BYTES) {
      this.#importProblem.set(IMPORT_REFUSALS.ImportTooLarge);
      return;
    }
    this.#file.set({ name: file.name, text: await file.text() });
    await this.#send(true);
  }

  /** Import the checked file's valid lines (once per customer: a second time adds nothing). */
  async apply(): Promise<void> {
    if (this.#file() && this.#checked()) {
      await this.#send(false);
    }
  }

  /** Download export `kind` and hand it to the browser as a file. */
  async download(kind: ExportKind): Promise<void> {
    const businessId = this.#session.businessId();
    if (!businessId || this.#busy()) {
      return;
    }
    this.#busy.set(kind);
    this.#exportProblem.set(null);
    this.#saved.set(null);
    try {
      const file = await this.#client.exportCsv(businessId, kind);
      this.#saver.save(file.blob, file.fileName);
      this.#saved.set(file.fileName);
    } catch (error) {
      this.#exportProblem.set(`Not downloaded. ${humanMessage(error)}`);
    } finally {
      this.#busy.set(null);
    }
  }

  async #send(dryRun: boolean): Promise<void> {
    const businessId = this.#session.businessId();
    const file = this.#file();
    if (!businessId || !file || this.#busy()) {
      return;
    }
    this.#busy.set(dryRun ? 'checking' : 'importing');
    this.#importProblem.set(null);
    try {
      const report = await this.#client.importBalances(businessId, file.text, dryRun);
      if (dryRun) {
        this.#checked.set(report);
      } else {
        this.#checked.set(null);
        this.#applied.set(report);
      }
    } catch (error) {
      const notDone = dryRun ? 'Not checked.' : 'Nothing was imported.';
      this.#importProblem.set(`${notDone} ${humanMessage(error, IMPORT_REFUSALS)}`);
    } finally {
      this.#busy.set(null);
    }
  }
}
