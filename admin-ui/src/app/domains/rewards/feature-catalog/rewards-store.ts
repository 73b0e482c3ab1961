/**
 * The rewards page's state: the whole catalog (inactive rewards included), which reward is
 * being edited or created, which one is being (de)activated, and the last refusal. Writable
 * signals stay private; the page reads the views and changes state only through the methods.
 * Provided by the page, so the state lives as long as the page.
 */
import { Service, computed, inject, resource, signal } from '@angular/core';

import { Session } from '../../../core/auth/session';
import { Reward, RewardsCatalog } from '../../shared/data/rewards-catalog';
import { RewardsClient } from '../data/rewards-client';
import { humanMessage } from '../../shared/util/messages';

@Service({ autoProvided: false })
export class RewardsStore {
  readonly #session = inject(Session);
  readonly #catalog = inject(RewardsCatalog);
  readonly #client = inject(RewardsClient);

  readonly #creating = signal(false);
  readonly #editingId = signal<number | null>(null);
  readonly #busyId = signal<number | null>(null);
  readonly #problem = signal<string | null>(null);
  readonly #rewards = resource({
    params: () => this.#session.businessId() ?? undefined,
    loader: ({ params }) => this.#catalog.list(params, { includeInactive: true }),
  });

  readonly businessId = computed(() => this.#session.businessId() ?? 0);
  /** The catalog as loaded (loading state, error, value). */
  readonly rewards = this.#rewards.asReadonly();
  /** True while the "New reward" form is open. */
  readonly creating = this.#creating.asReadonly();
  /** The reward whose edit form is open, if any. */
  readonly editingId = this.#editingId.asReadonly();
  /** The reward being activated or deactivated, if any. */
  readonly busyId = this.#busyId.asReadonly();
  /** Why the last (de)activation was refused. */
  readonly problem = this.#problem.asReadonly();

  /** Active rewards first, then by cost. */
  readonly sorted = computed(() =>
    this.#rewards.hasValue()
      ? [...this.#rewards.value()].sort(
          (a, b) => Number(b.active) - Number(a.active) || a.pointsCost - b.pointsCost,
        )
      : [],
  );

  startCreating(): void {
    this.#problem.set(null);
    this.#creating.set(true);
  }

  cancelCreating(): void {
    this.#creating.set(false);
  }

  startEditing(rewardId: number): void {
    this.#editingId.set(rewardId);
  }

  cancelEditing(): void {
    this.#editingId.set(null);
  }

  /** A form saved `reward` (new or changed): close the forms and show it in the list. */
  rewardSaved(reward: Reward): void {
    this.#creating.set(false);
    this.#editingId.set(null);
    this.#replace(reward);
  }

  /** Activate or deactivate `reward`; a refusal lands in `problem`. */
  async setActive(reward: Reward, active: boolean): Promise<void> {
    this.#problem.set(null);
    this.#busyId.set(reward.id);
    try {
      this.#replace(await this.#client.setActive(this.businessId(), reward.id, active));
    } catch (error) {
      this.#problem.set(humanMessage(error, { RewardNotFound: 'This reward no longer exists.' }));
    } finally {
      this.#busyId.set(null);
    }
  }

  reload(): void {
    this.#rewards.reload();
  }

  #replace(reward: Reward): void {
    const current = this.#rewards.hasValue() ? this.#rewards.value() : [];
    const exists = current.some((r) => r.id === reward.id);
    this.#rewards.set(
      exists ? current.map((r) => (r.id === reward.id ? reward : r)) : [...current, reward],
    );
  }
}
