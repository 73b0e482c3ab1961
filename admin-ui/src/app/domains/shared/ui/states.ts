/**
 * List states: `<adm-loading>` while a list loads, `<adm-empty>` when it has nothing, and
 * `<adm-load-error>` with a retry button when loading failed. A page imports them together,
 * with the pipe that words the failure, as `LIST_STATES`.
 */
import { Component, input, output } from '@angular/core';

import { Button } from './button';
import { HumanMessagePipe } from './pipes';

@Component({
  selector: 'adm-loading',
  host: { class: 'block', role: 'status', 'aria-live': 'polite' },
  template: `
    <div class="flex items-center gap-3 py-6 text-sm text-muted">
      <span
        class="size-5 animate-spin rounded-full border-2 border-brand-600 border-t-transparent"
      ></span>
      <span>{{ label() }}</span>
    </div>
  `,
})
export class Loading {
  readonly label = input('Loading…');
}

@Component({
  selector: 'adm-empty',
  host: { class: 'block' },
  template: `
    <div class="rounded-lg border border-dashed border-line px-4 py-8 text-center">
      <p class="text-sm font-medium text-ink">{{ title() }}</p>
      @if (hint()) {
        <p class="mt-1 text-sm text-muted">{{ hint() }}</p>
      }
      <ng-content />
    </div>
  `,
})
export class Empty {
  readonly title = input.required<string>();
  readonly hint = input('');
}

@Component({
  selector: 'adm-load-error',
  imports: [Button],
  host: { class: 'block', role: 'alert' },
  template: `
    <div
      class="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-danger/30 bg-danger-soft px-4 py-3"
    >
      <p class="text-sm text-danger">{{ message() }}</p>
      <button admButton="secondary" type="button" (click)="retry.emit()">Try again</button>
    </div>
  `,
})
export class LoadError {
  readonly message = input.required<string>();
  readonly retry = output<void>();
}

/** What a page showing a loaded list imports: the three states and `error | humanMessage`. */
export const LIST_STATES = [Loading, Empty, LoadError, HumanMessagePipe] as const;
