/**
 * The "Add points" form: a customer's phone and the amount spent. Bad input is caught here and
 * nothing is sent; the server's 422 answers land on the same fields. Each intended award carries
 * an Idempotency-Key, reused if the same submission is repeated, so a double tap or a retry
 * after a dropped connection never awards twice.
 */
import { Component, computed, inject, input, output, signal } from '@angular/core';
import { FormField, FormRoot, form } from '@angular/forms/signals';

import { RuntimeConfig } from '../../../core/config/runtime-config';
import { toApiError } from '../../../core/http/api-error';
import { Alert } from '../../shared/ui/alert';
import { Button } from '../../shared/ui/button';
import { Field } from '../../shared/ui/field';
import { Input } from '../../shared/ui/input';
import { currencySymbol, formatPoints } from '../../shared/util/format';
import { mapServerErrors, rule } from '../../shared/util/form-rules';
import { IdempotencyKeys } from '../../shared/util/idempotency';
import { cleanPhone, formatPhone } from '../../shared/util/phone';
import { amountProblem, phoneProblem } from '../../shared/util/validators';
import { PointsAdded, ProgramClient } from '../data/program-client';

@Component({
  selector: 'adm-add-points-form',
  host: { class: 'block' },
  imports: [Alert, Button, Field, Input, FormField, FormRoot],
  template: `
    <form [formRoot]="pointsForm" class="space-y-4">
      <div class="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <adm-field label="Customer phone" [field]="pointsForm.phone" hint="e.g. 0771234567">
          <input
            admInput
            type="tel"
            inputmode="tel"
            autocomplete="off"
            [formField]="pointsForm.phone"
          />
        </adm-field>
        <adm-field [label]="'Amount spent (' + currency() + ')'" [field]="pointsForm.amount">
          <div class="relative">
            <span
              class="pointer-events-none absolute inset-y-0 left-3 flex items-center text-muted"
              >{{ symbol() }}</span
            >
            <input
              admInput
              inputmode="decimal"
              autocomplete="off"
              class="pl-8"
              [formField]="pointsForm.amount"
            />
          </div>
        </adm-field>
      </div>
      @if (problem(); as problem) {
        <adm-alert kind="error" data-testid="form-error">{{ problem }}</adm-alert>
      }
      @if (success(); as success) {
        <adm-alert kind="success" data-testid="form-success">{{ success }}</adm-alert>
      }
      <button
        admButton
        type="submit"
        class="w-full sm:w-auto"
        [disabled]="pointsForm().submitting()"
      >
        {{ pointsForm().submitting() ? 'Adding points…' : 'Add points' }}
      </button>
    </form>
  `,
})
export class AddPointsForm {
  readonly #client = inject(ProgramClient);
  readonly #config = inject(RuntimeConfig);
  readonly #keys = new IdempotencyKeys();

  readonly businessId = input.required<number>();
  /** Emitted after points were awarded, with the server's answer. */
  readonly pointsAdded = output<PointsAdded>();

  protected readonly currency = this.#config.currency;
  protected readonly symbol = computed(() =>
    currencySymbol(this.#config.currency(), this.#config.locale()),
  );
  protected readonly problem = signal<string | null>(null);
  protected readonly success = signal<string | null>(null);

  readonly #model = signal({ phone: '', amount: '' });
  protected readonly pointsForm = form(
    this.#model,
    (path) => {
      rule(path.phone, phoneProblem);
      rule(path.amount, amountProblem);
    },
    { submission: { action: () => this.addPoints() } },
  );

  private async addPoints() {
    this.problem.set(null);
    this.success.set(null);
    const { phone, amount } = this.#model();
    const request = {
      businessId: this.businessId(),
      customerPhoneNumber: cleanPhone(phone),
      amountSpent: amount.trim(),
    };
    try {
      const result = await this.#client.addPoints(request, this.#keys.keyFor(request));
      this.#keys.done();
      const locale = this.#config.locale();
      this.success.set(
        `Points added successfully for ${formatPhone(result.customerPhoneNumber)}: ` +
          `${formatPoints(result.pointsEarned, locale)} points, balance ${formatPoints(result.totalPoints, locale)}`,
      );
      this.#model.set({ phone: '', amount: '' });
      this.pointsForm().reset();
      this.pointsAdded.emit(result);
      return undefined;
    } catch (error) {
      const apiError = toApiError(error);
      this.#keys.failed(apiError);
      const mapped = mapServerErrors(apiError, {
        customer_phone_number: this.pointsForm.phone,
        amount_spent: this.pointsForm.amount,
      });
      this.problem.set(mapped.formMessage);
      return mapped.fieldErrors;
    }
  }
}
