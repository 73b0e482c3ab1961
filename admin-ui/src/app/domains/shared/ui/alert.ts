/** `<adm-alert kind="error">`: an inline message; errors are announced to screen readers. */
import { Component, computed, input } from '@angular/core';

export type AlertKind = 'error' | 'success' | 'info' | 'warning';

const KIND_CLASSES: Record<AlertKind, string> = {
  error: 'bg-danger-soft text-danger border-danger/30',
  success: 'bg-success-soft text-success border-success/30',
  info: 'bg-info-soft text-info border-info/30',
  warning: 'bg-warning-soft text-warning border-warning/30',
};

@Component({
  selector: 'adm-alert',
  host: {
    '[class]': 'classes()',
    '[attr.role]': 'kind() === "error" ? "alert" : "status"',
  },
  template: `<ng-content />`,
})
export class Alert {
  readonly kind = input<AlertKind>('info');

  protected readonly classes = computed(
    () => `block rounded-lg border px-3 py-2 text-sm ${KIND_CLASSES[this.kind()]}`,
  );
}
