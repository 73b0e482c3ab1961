/**
 * Saving a file the app downloaded with its own request (an export needs the session's
 * `Authorization` header, so a plain link cannot fetch it): the browser is handed the
 * blob through a temporary object URL and a `download` link, as if the user had clicked one.
 */
import { Service } from '@angular/core';

@Service()
export class FileSaver {
  /** Offer `blob` to the user as the file `fileName` (the browser's download). */
  save(blob: Blob, fileName: string): void {
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.style.display = 'none';
    document.body.append(link);
    link.click();
    link.remove();
    // Freed later, not at once: a browser may still be reading the blob for the download.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}
