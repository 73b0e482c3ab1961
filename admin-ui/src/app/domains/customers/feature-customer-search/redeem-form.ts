/**
 * Redeem a customer's points: either a reward from the catalog (which fixes the points to its
 * cost) or a number of points with a description. Submitting shows a confirmation step; only
 * "Confirm" calls the server. A 409 (not enough points) shows the server's explanation.
 */
import { Component, computed, inject, input, linkedSignal, output, signal } from '@angular/core';
import { FormField, FormRoot, form, submit, validate } from '@angular/forms/signals';

import { RuntimeConfig } from '../../../core/config/runtime-config';
import { toApiError } from '../../../core/http/api-error';
import { Reward } from '../../shared/data/rewards-catalog';
import { Alert } from '../../shared/ui/alert';
import { Button } from '../../shared/ui/button';
import { Field } from '../../shared/ui/field';
import { Input } from '../../shared/ui/input';
import { PhonePipe, PointsPipe } from '../../shared/ui/pipes';
import { formatPoints } from '../../shared/util/format';
import { mapServerErrors } from '../../shared/util/form-rules';
import { IdempotencyKeys } from '../../shared/util/idempotency';
import { pointsProblem, textProblem } from '../../shared/util/validators';
import { CustomersClient, REWARD_REFUSALS, Redeemed, Redemption } from '../data/customers-client';

const DESCRIPTION_MAX = 200;

@Component({
  selector: 'adm-redeem-form',
  host: { class: 'block' },
  imports: [Alert, Button, Field, Input, FormField, FormRoot, PhonePipe, PointsPipe],
  template: `
    @if (review(); as review) {
      <div class="space-y-4" data-testid="redeem-review">
        <p class="text-sm text-ink">
          Redeem <strong>{{ review.pointsToRedeem | points }} points</strong> from
          <strong>{{ review.customerPhoneNumber | phone }}</strong> for
          <strong>{{ review.rewardDescription }}</strong>?
        </p>
        <p class="text-sm text-muted">
          Balance after: {{ balance() - review.pointsToRedeem | points }} points.
        </p>
        @if (problem(); as problem) {
          <adm-alert kind="error" data-testid="form-error">{{ problem }}</adm-alert>
        }
        <div class="flex flex-wrap gap-2">
          <button
            admButton
            type="button"
            (click)="confirm()"
            [disabled]="redeemForm().submitting()"
          >
            {{ redeemForm().submitting() ? 'Redeeming…' : 'Confirm redemption' }}
          </button>
          <button
            admButton="ghost"
            type="button"
            (click)="back()"
            [disabled]="redeemForm().submitting()"
          >
            Back
          </button>
        </div>
      </div>
    } @else {
      <form [formRoot]="redeemForm" class="space-y-4">
        @if (activeRewards().length > 0) {
          <adm-field label="Reward" [field]="redeemForm.rewardId">
            <select admInput [formField]="redeemForm.rewardId">
              <option value="">Points only (no catalog reward)</option>
              @for (reward of activeRewards(); track reward.id) {
                <option [value]="'' + reward.id">
                  {{ reward.name }} — {{ reward.pointsCost | points }} points
                </option>
              }
            </select>
          </adm-field>
        }
        @if (selectedReward(); as reward) {
          <p
            class="rounded-lg bg-points-soft px-3 py-2 text-sm text-points"
            data-testid="reward-cost"
          >
            {{ reward.name }} costs {{ reward.pointsCost | points }} points.
          </p>
        } @else {
          <adm-field label="Points to redeem" [field]="redeemForm.points">
            <input
              admInput
              inputmode="numeric"
              autocomplete="off"
              [formField]="redeemForm.points"
            />
          </adm-field>
        }
        <adm-field
          label="Description"
          [field]="redeemForm.description"
          [hint]="
            selectedReward()
              ? 'Optional; defaults to the reward name.'
              : 'What the customer gets, e.g. Free coffee.'
          "
        >
          <input admInput autocomplete="off" [formField]="redeemForm.description" />
        </adm-field>
        @if (problem(); as problem) {
          <adm-alert kind="error" data-testid="form-error">{{ problem }}</adm-alert>
        }
        @if (success(); as success) {
          <adm-alert kind="success" data-testid="form-success">{{ success }}</adm-alert>
        }
        <button admButton type="submit" class="w-full sm:w-auto">Review redemption</button>
      </form>
    }
  `,
})
export class RedeemForm {
  readonly #client = inject(CustomersClient);
  readonly #config = inject(RuntimeConfig);
  readonly #keys = new IdempotencyKeys();

  readonly businessId = input.required<number>();
  readonly phoneNumber = input.required<string>();
  /** The customer's current balance. */
  readonly balance = input.required<number>();
  readonly rewards = input<readonly Reward[]>([]);
  readonly redeemed = output<Redeemed>();
  /** A chosen catalog reward was refused (gone, deactivated, cost changed): reload them. */
  readonly rewardsChanged = output<void>();
  /** The server says the balance is too low: the one shown is stale, reload it. */
  readonly balanceStale = output<void>();

  protected readonly problem = signal<string | null>(null);
  protected readonly success = signal<string | null>(null);
  /** The redemption awaiting confirmation, or null while editing. */
  protected readonly review = linkedSignal<string, Redemption | null>({
    source: () => this.phoneNumber(),
    computation: () => null,
  });

  protected readonly activeRewards = computed(() => this.rewards().filter((r) => r.active));

  // A new customer starts a fresh form.
  readonly #model = linkedSignal({
    source: () => this.phoneNumber(),
    computation: () => ({ rewardId: '', points: '', description: '' }),
  });

  protected readonly selectedReward = computed(() => {
    const id = this.#model().rewardId;
    return id === '' ? null : (this.activeRewards().find((r) => String(r.id) === id) ?? null);
  });

  protected readonly redeemForm = form(
    this.#model,
    (path) => {
      validate(path.points, ({ value }) => {
        if (this.selectedReward()) {
          return null;
        }
        const message = pointsProblem(value()) ?? this.balanceProblem(Number(value()));
        return message ? { kind: 'rule', message } : null;
      });
      validate(path.rewardId, () => {
        const reward = this.selectedReward();
        const message = reward ? this.balanceProblem(reward.pointsCost) : null;
        return message ? { kind: 'rule', message } : null;
      });
      validate(path.description, ({ value }) => {
        const message = textProblem(
          value(),
          DESCRIPTION_MAX,
          'a description',
          !this.selectedReward(),
        );
        return message ? { kind: 'rule', message } : null;
      });
    },
    { submission: { action: async () => this.startReview() } },
  );

  private balanceProblem(points: number): string | null {
    return points > this.balance()
      ? `The customer has only ${formatPoints(this.balance(), this.#config.locale())} points.`
      : null;
  }

  private startReview() {
    this.problem.set(null);
    this.success.set(null);
    const value = this.#model();
    const reward = this.selectedReward();
    this.review.set({
      businessId: this.businessId(),
      customerPhoneNumber: this.phoneNumber(),
      pointsToRedeem: reward ? reward.pointsCost : Number(value.points.trim()),
      rewardDescription: value.description.trim() || reward?.name || '',
      ...(reward ? { rewardId: reward.id } : {}),
    });
    return undefined;
  }

  protected back(): void {
    this.review.set(null);
  }

  protected async confirm(): Promise<void> {
    await submit(this.redeemForm, { action: () => this.redeem() });
  }

  private async redeem() {
    const redemption = this.review();
    if (!redemption) {
      return undefined;
    }
    this.problem.set(null);
    try {
      const result = await this.#client.redeem(redemption, this.#keys.keyFor(redemption));
      this.#keys.done();
      const locale = this.#config.locale();
      this.success.set(
        `Redeemed ${formatPoints(result.pointsRedeemed, locale)} points for ${redemption.rewardDescription}. ` +
          `New balance: ${formatPoints(result.totalPoints, locale)} points.`,
      );
      this.review.set(null);
      this.#model.set({ rewardId: '', points: '', description: '' });
      this.redeemForm().reset();
      this.redeemed.emit(result);
      return undefined;
    } catch (error) {
      const apiError = toApiError(error);
      this.#keys.failed(apiError);
      if (apiError.code && REWARD_REFUSALS.has(apiError.code)) {
        // The catalog changed under us: back to the form with fresh rewards and the reason.
        this.rewardsChanged.emit();
        if (apiError.code !== 'RewardCostMismatch') {
          this.#model.update((m) => ({ ...m, rewardId: '' }));
        }
        this.review.set(null);
        this.problem.set(apiError.detail);
        return undefined;
      }
      if (apiError.code === 'InsufficientPoints') {
        this.balanceStale.emit();
      }
      const mapped = mapServerErrors(apiError, {
        points_to_redeem: this.redeemForm.points,
        reward_description: this.redeemForm.description,
        reward_id: this.redeemForm.rewardId,
      });
      this.problem.set(mapped.formMessage);
      if (mapped.fieldErrors.length > 0) {
        this.review.set(null); // back to the form, where the field errors show
      }
      return mapped.fieldErrors;
    }
  }
}
