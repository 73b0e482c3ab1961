/**
 * `<button admButton>`: the app's buttons in four looks, one place for their classes.
 */
import { Directive, computed, input } from '@angular/core';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'ghost';

const BASE =
  'inline-flex items-center justify-center gap-2 rounded-lg px-4 min-h-11 text-sm font-semibold ' +
  'transition-colors disabled:cursor-not-allowed disabled:opacity-60 select-none';

const VARIANTS: Record<ButtonVariant, string> = {
  primary: 'bg-brand-700 text-white hover:bg-brand-800 active:bg-brand-900',
  secondary: 'bg-surface text-ink border border-line hover:bg-canvas',
  danger: 'bg-surface text-danger border border-danger/40 hover:bg-danger-soft',
  ghost: 'bg-transparent text-brand-700 hover:bg-brand-50',
};

@Directive({
  selector: 'button[admButton], a[admButton]',
  host: { '[class]': 'classes()' },
})
export class Button {
  readonly variant = input<ButtonVariant | ''>('primary', { alias: 'admButton' });
  readonly block = input(false);

  protected readonly classes = computed(
    () => `${BASE} ${VARIANTS[this.variant() || 'primary']}${this.block() ? ' w-full' : ''}`,
  );
}
