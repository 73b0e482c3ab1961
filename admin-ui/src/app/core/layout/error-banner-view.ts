/** `<adm-error-banner>`: the app-wide outage notices (see ErrorBanner), pinned to the top. */
import { Component, inject } from '@angular/core';

import { ErrorBanner } from '../http/error-banner';

@Component({
  selector: 'adm-error-banner',
  template: `
    @if (banner.visible()) {
      <div
        class="sticky top-0 z-50 border-b border-danger/30 bg-danger-soft px-4 py-2 text-sm text-danger"
        role="alert"
      >
        <div class="mx-auto flex max-w-6xl items-start gap-3">
          <ul class="flex-1 space-y-0.5">
            @for (notice of banner.notices(); track notice.service) {
              <li>{{ notice.message }}</li>
            }
          </ul>
          <button
            type="button"
            class="shrink-0 rounded px-2 py-1 font-semibold hover:bg-danger/10"
            (click)="banner.dismiss()"
          >
            Dismiss
          </button>
        </div>
      </div>
    }
  `,
})
export class ErrorBannerView {
  protected readonly banner = inject(ErrorBanner);
}
