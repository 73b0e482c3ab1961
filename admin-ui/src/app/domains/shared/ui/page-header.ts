/** `<adm-page-header title="Customers">`: a page's title, a line of context and its actions. */
import { Component, input } from '@angular/core';

@Component({
  selector: 'adm-page-header',
  host: { class: 'mb-4 flex flex-wrap items-end justify-between gap-3 sm:mb-6' },
  template: `
    <div class="min-w-0">
      <h1 class="text-xl font-bold tracking-tight text-ink sm:text-2xl">{{ title() }}</h1>
      @if (subtitle()) {
        <p class="mt-1 text-sm text-muted">{{ subtitle() }}</p>
      }
    </div>
    <ng-content />
  `,
})
export class PageHeader {
  readonly title = input.required<string>();
  readonly subtitle = input('');
}
