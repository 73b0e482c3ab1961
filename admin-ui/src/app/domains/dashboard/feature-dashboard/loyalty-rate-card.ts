/**
 * The loyalty rate, shown as "1.5 points per $1 spent" and editable in place
 * (`POST /businesses/{id}/loyalty_rules`).
 */
import { Component, computed, inject, input, output, signal } from '@angular/core';
import { form } from '@angular/forms/signals';

import { RuntimeConfig } from '../../../core/config/runtime-config';
import { Alert } from '../../shared/ui/alert';
import { Button } from '../../shared/ui/button';
import { Card } from '../../shared/ui/card';
import { FORM_PARTS, RateField } from '../../shared/ui/form-fields';
import { Icon } from '../../shared/ui/icon';
import { formatMoney, formatRate } from '../../shared/util/format';
import { SubmitResult, rule, submitOrExplain } from '../../shared/util/form-rules';
import { rateProblem } from '../../shared/util/validators';
import { Program } from '../../shared/data/ledger-client';
import { ProgramClient } from '../data/program-client';

@Component({
  selector: 'adm-loyalty-rate-card',
  host: { class: 'block' },
  imports: [Alert, Button, Card, Icon, RateField, FORM_PARTS],
  template: `
    <adm-card heading="Loyalty rate">
      @if (!editing()) {
        <div class="flex items-center justify-between gap-3">
          <p class="text-sm text-muted">
            <span class="block text-3xl font-bold tabular-nums text-ink" data-testid="rate">{{
              rateText()
            }}</span>
            points per {{ unit() }} spent
          </p>
          <button admButton="secondary" type="button" (click)="startEditing()">
            <adm-icon name="pencil" class="size-4" /> Edit
          </button>
        </div>
        @if (saved()) {
          <adm-alert kind="success" class="mt-3">Loyalty rate updated.</adm-alert>
        }
      } @else {
        <form [formRoot]="rateForm" class="space-y-3">
          <adm-rate-field [field]="rateForm.rate" hint="0 or more, up to 4 decimal places." />
          <adm-form-footer [problem]="problem()" label="Save">
            <button admButton="ghost" type="button" (click)="cancel()">Cancel</button>
          </adm-form-footer>
        </form>
      }
    </adm-card>
  `,
})
export class LoyaltyRateCard {
  readonly #client = inject(ProgramClient);
  readonly #config = inject(RuntimeConfig);

  readonly program = input.required<Program>();
  readonly programChange = output<Program>();

  protected readonly editing = signal(false);
  protected readonly saved = signal(false);
  protected readonly problem = signal<string | null>(null);
  protected readonly rateText = computed(() => formatRate(this.program().loyaltyRate));
  protected readonly unit = computed(() =>
    formatMoney(1, this.#config.currency(), this.#config.locale()).replace(/[.,]00$/, ''),
  );

  readonly #model = signal({ rate: '' });
  protected readonly rateForm = form(this.#model, (path) => rule(path.rate, rateProblem), {
    submission: { action: () => this.saveRate() },
  });

  protected startEditing(): void {
    this.#model.set({ rate: formatRate(this.program().loyaltyRate) });
    this.rateForm().reset();
    this.problem.set(null);
    this.saved.set(false);
    this.editing.set(true);
  }

  protected cancel(): void {
    this.editing.set(false);
  }

  private async saveRate(): Promise<SubmitResult> {
    return submitOrExplain(
      this.problem,
      async () => {
        this.programChange.emit(
          await this.#client.setLoyaltyRate(this.program().id, this.#model().rate.trim()),
        );
        this.editing.set(false);
        this.saved.set(true);
      },
      { loyalty_rate: this.rateForm.rate },
      { messages: { loyalty_rate: 'Enter a rate from 0 to 1000 with at most 4 decimal places.' } },
    );
  }
}
