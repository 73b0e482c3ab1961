/**
 * The end of a form: the form's own message when the last submission was refused (what no
 * single field can show, announced as an alert), then the submit button — disabled and
 * relabelled ("Saving…") while the submission runs — and any projected buttons (Cancel).
 *
 * `<adm-form-footer [problem]="problem()" label="Save" busyLabel="Saving…" />`, inside the
 * `<form [formRoot]>` whose submission it shows (read from that `FormRoot`).
 */
import { Component, booleanAttribute, computed, inject, input } from '@angular/core';
import { FormRoot } from '@angular/forms/signals';

import { Alert } from './alert';
import { Button } from './button';

@Component({
  selector: 'adm-form-footer',
  host: { class: 'block space-y-4' },
  imports: [Alert, Button],
  template: `
    @if (problem(); as problem) {
      <adm-alert kind="error" data-testid="form-error">{{ problem }}</adm-alert>
    }
    <div class="flex flex-wrap gap-2">
      <button admButton type="submit" [block]="block()" [disabled]="submitting()">
        {{ submitting() && busyLabel() ? busyLabel() : label() }}
      </button>
      <ng-content />
    </div>
  `,
})
export class FormFooter {
  readonly #root = inject(FormRoot);

  /** The form's own message (`null`: nothing to say). */
  readonly problem = input<string | null>(null);
  readonly label = input.required<string>();
  /** The button's text while the submission runs; the label when empty. */
  readonly busyLabel = input('');
  /** A full-width button (the sign-in pages): `<adm-form-footer block …>`. */
  readonly block = input(false, { transform: booleanAttribute });

  protected readonly submitting = computed(() => this.#root.fieldTree()().submitting());
}
