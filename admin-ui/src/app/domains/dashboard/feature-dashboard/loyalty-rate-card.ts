/**
 * The loyalty rules, shown as "1.5 points per $1 spent" and "Points expire 365 days after they
 * are earned" (or never), and editable in place (`POST /businesses/{id}/loyalty_rules`, the
 * rate and the expiry together: a changed expiry applies to points earned from then on).
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
import { expiryDaysProblem, expiryText, toExpiryDays } from '../util/expiry';

@Component({
  selector: 'adm-loyalty-rate-card',
  host: { class: 'block' },
  imports: [Alert, Button, Card, Icon, RateField, FORM_PARTS],
  template: `
    <adm-card heading="Loyalty rules">
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
        <p class="mt-3 text-sm text-ink" data-testid="expiry">{{ expiry() }}</p>
        @if (saved(); as saved) {
          <adm-alert kind="success" class="mt-3">{{ saved }}</adm-alert>
        }
      } @else {
        <form [formRoot]="rateForm" class="space-y-3">
          <adm-rate-field [field]="rateForm.rate" hint="0 or more, up to 4 decimal places." />
          <adm-field
            label="Points expire after (days)"
            [field]="rateForm.expiryDays"
            hint="Empty: points never expire. Up to 3650 days; a change applies to points earned from now on."
          >
            <input
              admInput
              inputmode="numeric"
              autocomplete="off"
              placeholder="Never"
              [formField]="rateForm.expiryDays"
            />
          </adm-field>
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
  /** What the last save changed, in words, or null. */
  protected readonly saved = signal<string | null>(null);
  protected readonly problem = signal<string | null>(null);
  protected readonly rateText = computed(() => formatRate(this.program().loyaltyRate));
  protected readonly expiry = computed(() => expiryText(this.program().pointsExpireAfterDays));
  protected readonly unit = computed(() =>
    formatMoney(1, this.#config.currency(), this.#config.locale()).replace(/[.,]00$/, ''),
  );

  readonly #model = signal({ rate: '', expiryDays: '' });
  protected readonly rateForm = form(
    this.#model,
    (path) => {
      rule(path.rate, rateProblem);
      rule(path.expiryDays, expiryDaysProblem);
    },
    { submission: { action: () => this.saveRules() } },
  );

  protected startEditing(): void {
    const days = this.program().pointsExpireAfterDays;
    this.#model.set({
      rate: formatRate(this.program().loyaltyRate),
      expiryDays: days === null ? '' : String(days),
    });
    this.rateForm().reset();
    this.problem.set(null);
    this.saved.set(null);
    this.editing.set(true);
  }

  protected cancel(): void {
    this.editing.set(false);
  }

  private async saveRules(): Promise<SubmitResult> {
    const before = this.program();
    return submitOrExplain(
      this.problem,
      async () => {
        const after = await this.#client.setLoyaltyRules(
          before.id,
          this.#model().rate.trim(),
          toExpiryDays(this.#model().expiryDays),
        );
        this.programChange.emit(after);
        this.editing.set(false);
        this.saved.set(savedText(before, after));
      },
      { loyalty_rate: this.rateForm.rate, points_expire_after_days: this.rateForm.expiryDays },
      {
        messages: {
          loyalty_rate: 'Enter a rate from 0 to 1000 with at most 4 decimal places.',
          points_expire_after_days: 'Enter from 1 to 3650 days, or leave it empty.',
        },
      },
    );
  }
}

/** What a save changed, in words (the rate's message also when nothing changed). */
function savedText(before: Program, after: Program): string {
  const expiry = before.pointsExpireAfterDays !== after.pointsExpireAfterDays;
  const rate = Number(before.loyaltyRate) !== Number(after.loyaltyRate) || !expiry;
  return rate && expiry
    ? 'Loyalty rate and point expiry updated.'
    : expiry
      ? 'Point expiry updated.'
      : 'Loyalty rate updated.';
}
