/**
 * `<adm-field label="Phone" [field]="form.phone" hint="…">`: a label for its control, then the
 * control, then either the field's first error (once touched: after blur or a submit attempt)
 * or the hint. Server errors from a 422 show here too: they are errors of the same field.
 *
 * The hint and the error sit outside the label and are tied to the control with
 * `aria-describedby`, so a screen reader announces the field by its label alone and reads the
 * hint or error as its description; a new error is also announced at once (`role="alert"`).
 * The projected `admInput` control takes its id and description from here (see `Input`).
 */
import { Component, computed, input } from '@angular/core';
import { FieldTree } from '@angular/forms/signals';

let nextId = 0;

@Component({
  selector: 'adm-field',
  host: { class: 'block' },
  template: `
    <!-- The control is projected (ng-content) and takes controlId (see Input). -->
    <label [attr.for]="controlId" class="mb-1 block text-sm font-medium text-ink">{{
      label()
    }}</label>
    <ng-content />
    @if (message(); as message) {
      <p
        [id]="descriptionId"
        class="mt-1 block text-sm text-danger"
        role="alert"
        data-testid="field-error"
      >
        {{ message }}
      </p>
    } @else if (hint()) {
      <p [id]="descriptionId" class="mt-1 block text-sm text-muted">{{ hint() }}</p>
    }
  `,
})
export class Field {
  readonly label = input.required<string>();
  readonly field = input<FieldTree<string> | FieldTree<boolean> | FieldTree<unknown>>();
  readonly hint = input<string>('');

  readonly #id = `adm-field-${nextId++}`;
  /** The id the projected control takes, so the label names it. */
  readonly controlId = `${this.#id}-control`;
  /** The id of the hint or error line. */
  readonly descriptionId = `${this.#id}-description`;

  protected readonly message = computed(() => {
    const tree = this.field() as FieldTree<unknown> | undefined;
    if (!tree) {
      return null;
    }
    const state = tree();
    if (!state.touched()) {
      return null;
    }
    return state.errors().find((error) => error.message)?.message ?? null;
  });

  /** The control's `aria-describedby`: the hint or error line, when one shows. */
  readonly describedBy = computed(() =>
    this.message() || this.hint() ? this.descriptionId : null,
  );
}
