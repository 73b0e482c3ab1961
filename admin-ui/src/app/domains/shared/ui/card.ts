/** `<adm-card heading="…">`: the white rounded panel every page is built from. */
import { Component, input } from '@angular/core';

@Component({
  selector: 'adm-card',
  host: { class: 'block rounded-card bg-surface shadow-card border border-line/60' },
  template: `
    @if (heading()) {
      <header
        class="flex flex-wrap items-center justify-between gap-2 border-b border-line/70 px-4 py-3 sm:px-5"
      >
        <h2 class="text-base font-semibold text-ink">{{ heading() }}</h2>
        <ng-content select="[cardActions]" />
      </header>
    }
    <div class="px-4 py-4 sm:px-5">
      <ng-content />
    </div>
  `,
})
export class Card {
  readonly heading = input('');
}
