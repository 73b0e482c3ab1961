/** `<adm-stat label="Customers" [value]="…">`: one headline figure. */
import { Component, input } from '@angular/core';

@Component({
  selector: 'adm-stat',
  host: { class: 'block rounded-xl border border-line/70 bg-surface px-4 py-3' },
  template: `
    <p class="text-xs font-medium uppercase tracking-wide text-muted">{{ label() }}</p>
    <p class="mt-1 text-2xl font-bold tabular-nums text-ink">{{ value() }}</p>
    @if (hint()) {
      <p class="mt-0.5 text-xs text-muted">{{ hint() }}</p>
    }
  `,
})
export class Stat {
  readonly label = input.required<string>();
  readonly value = input.required<string>();
  readonly hint = input('');
}
