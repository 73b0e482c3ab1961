/**
 * `<input admInput>` (also select and textarea): one look for every control. When the control
 * is bound to a Signal Forms field, it is marked `aria-invalid` once the field is touched and
 * has errors, which also turns its border red. Inside an `<adm-field>` it takes the field's
 * id (named by its label) and `aria-describedby` (its hint or error).
 */
import { Directive, computed, inject } from '@angular/core';
import { FormField } from '@angular/forms/signals';

import { Field } from './field';

@Directive({
  selector: 'input[admInput], select[admInput], textarea[admInput]',
  host: {
    class:
      'block w-full rounded-lg border border-line bg-surface px-3 min-h-11 text-base text-ink ' +
      'placeholder:text-muted/70 focus:border-brand-600 focus:outline-none focus:ring-2 ' +
      'focus:ring-brand-600/30 disabled:bg-canvas aria-invalid:border-danger ' +
      'aria-invalid:focus:ring-danger/30',
    '[attr.aria-invalid]': 'invalid() ? "true" : null',
    '[attr.id]': 'field?.controlId ?? null',
    '[attr.aria-describedby]': 'field?.describedBy() ?? null',
  },
})
export class Input {
  readonly #formField = inject(FormField, { self: true, optional: true });
  protected readonly field = inject(Field, { optional: true });

  protected readonly invalid = computed(() => {
    const state = this.#formField?.state();
    return !!state && state.touched() && state.invalid();
  });
}
