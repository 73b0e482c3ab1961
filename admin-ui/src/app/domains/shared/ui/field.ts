/**
 * `<adm-field label="Phone" [field]="form.phone">`: a label around its control plus the
 * field's first error once it is touched (after blur or a submit attempt). Server errors from
 * a 422 show here too: they are errors of the same field.
 */
import { Component, computed, input } from '@angular/core';
import { FieldTree } from '@angular/forms/signals';

@Component({
  selector: 'adm-field',
  host: { class: 'block' },
  template: `
    <!-- The control is projected (ng-content), so the linter cannot see it inside the label. -->
    <!-- eslint-disable-next-line @angular-eslint/template/label-has-associated-control -->
    <label class="block">
      <span class="mb-1 block text-sm font-medium text-ink">{{ label() }}</span>
      <ng-content />
      @if (message(); as message) {
        <span class="mt-1 block text-sm text-danger" data-testid="field-error">{{ message }}</span>
      } @else if (hint()) {
        <span class="mt-1 block text-sm text-muted">{{ hint() }}</span>
      }
    </label>
  `,
})
export class Field {
  readonly label = input.required<string>();
  readonly field = input<FieldTree<string> | FieldTree<boolean> | FieldTree<unknown>>();
  readonly hint = input<string>('');

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
}
