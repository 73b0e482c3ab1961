/**
 * Complete one pending referral (the friend has bought here): how many points the referrer
 * gets, the shop's default bonus filled in.
 */
import { Component, effect, inject, input, output, signal, untracked } from '@angular/core';
import { FormField, FormRoot, form } from '@angular/forms/signals';

import { toApiError } from '../../../core/http/api-error';
import { Alert } from '../../shared/ui/alert';
import { Button } from '../../shared/ui/button';
import { Field } from '../../shared/ui/field';
import { Input } from '../../shared/ui/input';
import { mapServerErrors, rule } from '../../shared/util/form-rules';
import { IdempotencyKeys } from '../../shared/util/idempotency';
import { pointsProblem } from '../../shared/util/validators';
import { Referral, ReferralsClient } from '../data/referrals-client';

@Component({
  selector: 'adm-complete-referral-form',
  host: { class: 'block' },
  imports: [Alert, Button, Field, Input, FormField, FormRoot],
  template: `
    <form [formRoot]="completeForm" class="mt-3 space-y-3">
      <adm-field label="Bonus for the referrer (points)" [field]="completeForm.points">
        <input admInput inputmode="numeric" autocomplete="off" [formField]="completeForm.points" />
      </adm-field>
      @if (problem(); as problem) {
        <adm-alert kind="error">{{ problem }}</adm-alert>
      }
      <div class="flex flex-wrap gap-2">
        <button admButton type="submit" [disabled]="completeForm().submitting()">
          {{ completeForm().submitting() ? 'Completing…' : 'Complete and award' }}
        </button>
        <button admButton="ghost" type="button" (click)="cancelled.emit()">Cancel</button>
      </div>
    </form>
  `,
})
export class CompleteReferralForm {
  readonly #client = inject(ReferralsClient);
  readonly #keys = new IdempotencyKeys();

  readonly referral = input.required<Referral>();
  /** The shop's default bonus, filled in (null while unknown). */
  readonly defaultPoints = input<number | null>(null);
  readonly completed = output<Referral>();
  readonly cancelled = output<void>();

  protected readonly problem = signal<string | null>(null);

  readonly #model = signal({ points: '' });

  constructor() {
    effect(() => {
      const points = this.defaultPoints();
      if (points !== null) {
        untracked(() => this.#model.set({ points: String(points) }));
      }
    });
  }
  protected readonly completeForm = form(this.#model, (path) => rule(path.points, pointsProblem), {
    submission: { action: () => this.complete() },
  });

  private async complete() {
    this.problem.set(null);
    const points = Number(this.#model().points.trim());
    const request = { referralId: this.referral().id, points };
    try {
      const referral = await this.#client.complete(
        request.referralId,
        points,
        this.#keys.keyFor(request),
      );
      this.#keys.done();
      this.completed.emit(referral);
      return undefined;
    } catch (error) {
      const apiError = toApiError(error);
      this.#keys.failed(apiError);
      const mapped = mapServerErrors(
        apiError,
        { points_to_award_referrer: this.completeForm.points },
        {
          messages: {
            points_to_award_referrer: 'Enter a whole number of points from 1 to 10,000,000.',
          },
          overrides: {
            NoPurchaseYet:
              'The new customer has not bought anything here yet: complete the referral after their first purchase.',
          },
        },
      );
      this.problem.set(mapped.formMessage);
      return mapped.fieldErrors;
    }
  }
}
