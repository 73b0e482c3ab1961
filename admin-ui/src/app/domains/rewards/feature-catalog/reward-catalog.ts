/**
 * The rewards catalog: what customers can redeem their points for. Add, edit, and deactivate
 * (or re-activate) rewards; inactive ones stay listed, greyed out, for the record.
 */
import { Component, computed, inject, resource, signal } from '@angular/core';

import { Session } from '../../../core/auth/session';
import { toApiError } from '../../../core/http/api-error';
import { Alert } from '../../shared/ui/alert';
import { Button } from '../../shared/ui/button';
import { Card } from '../../shared/ui/card';
import { Icon } from '../../shared/ui/icon';
import { PageHeader } from '../../shared/ui/page-header';
import { PointsPipe } from '../../shared/ui/pipes';
import { Empty, LoadError, Loading } from '../../shared/ui/states';
import { Reward, RewardsCatalog } from '../../shared/data/rewards-catalog';
import { RewardsClient } from '../data/rewards-client';
import { RewardForm } from './reward-form';

@Component({
  selector: 'adm-reward-catalog',
  imports: [
    Alert,
    Button,
    Card,
    Empty,
    Icon,
    LoadError,
    Loading,
    PageHeader,
    PointsPipe,
    RewardForm,
  ],
  template: `
    <adm-page-header
      title="Rewards"
      subtitle="What customers can redeem their points for at your business."
    >
      @if (!creating()) {
        <button admButton type="button" (click)="startCreating()">
          <adm-icon name="plus" class="size-4" /> New reward
        </button>
      }
    </adm-page-header>

    @if (creating()) {
      <adm-card heading="New reward" class="mb-4">
        <adm-reward-form
          [businessId]="businessId()"
          (saved)="rewardSaved($event)"
          (cancelled)="creating.set(false)"
        />
      </adm-card>
    }
    @if (problem(); as problem) {
      <adm-alert kind="error" class="mb-4">{{ problem }}</adm-alert>
    }

    @if (rewards.isLoading() && !rewards.hasValue()) {
      <adm-card><adm-loading label="Loading rewards…" /></adm-card>
    } @else if (rewards.error(); as error) {
      <adm-card
        ><adm-load-error [message]="errorText(error)" (retry)="rewards.reload()"
      /></adm-card>
    } @else if (sorted().length === 0) {
      <adm-card>
        <adm-empty
          title="No rewards yet"
          hint="Add a reward such as “Free coffee for 100 points”."
        />
      </adm-card>
    } @else {
      <ul class="grid grid-cols-1 gap-3 sm:grid-cols-2">
        @for (reward of sorted(); track reward.id) {
          <li
            class="rounded-card border border-line/70 bg-surface p-4 shadow-card"
            [class.opacity-70]="!reward.active"
          >
            @if (editingId() === reward.id) {
              <adm-reward-form
                [businessId]="businessId()"
                [reward]="reward"
                (saved)="rewardSaved($event)"
                (cancelled)="editingId.set(null)"
              />
            } @else {
              <div class="flex items-start justify-between gap-3">
                <div class="min-w-0">
                  <h2 class="font-semibold text-ink">{{ reward.name }}</h2>
                  @if (reward.description) {
                    <p class="mt-1 text-sm text-muted">{{ reward.description }}</p>
                  }
                </div>
                <p
                  class="shrink-0 rounded-full bg-points-soft px-2.5 py-1 text-sm font-semibold text-points"
                >
                  {{ reward.pointsCost | points }} pts
                </p>
              </div>
              <div class="mt-4 flex flex-wrap items-center gap-2">
                <span
                  class="mr-auto text-xs font-semibold uppercase tracking-wide"
                  [class.text-success]="reward.active"
                  [class.text-muted]="!reward.active"
                >
                  {{ reward.active ? 'Active' : 'Inactive' }}
                </span>
                <button admButton="secondary" type="button" (click)="editingId.set(reward.id)">
                  Edit
                </button>
                @if (reward.active) {
                  <button
                    admButton="danger"
                    type="button"
                    [disabled]="busyId() === reward.id"
                    (click)="setActive(reward, false)"
                  >
                    Deactivate
                  </button>
                } @else {
                  <button
                    admButton="secondary"
                    type="button"
                    [disabled]="busyId() === reward.id"
                    (click)="setActive(reward, true)"
                  >
                    Activate
                  </button>
                }
              </div>
            }
          </li>
        }
      </ul>
    }
  `,
})
export class RewardCatalog {
  readonly #session = inject(Session);
  readonly #client = inject(RewardsClient);
  readonly #catalog = inject(RewardsCatalog);

  protected readonly businessId = computed(() => this.#session.businessId() ?? 0);
  protected readonly creating = signal(false);
  protected readonly editingId = signal<number | null>(null);
  protected readonly busyId = signal<number | null>(null);
  protected readonly problem = signal<string | null>(null);

  protected readonly rewards = resource({
    params: () => this.#session.businessId() ?? undefined,
    loader: ({ params }) => this.#catalog.list(params, { includeInactive: true }),
  });

  /** Active rewards first, then by cost. */
  protected readonly sorted = computed(() =>
    this.rewards.hasValue()
      ? [...this.rewards.value()].sort(
          (a, b) => Number(b.active) - Number(a.active) || a.pointsCost - b.pointsCost,
        )
      : [],
  );

  protected startCreating(): void {
    this.problem.set(null);
    this.creating.set(true);
  }

  protected rewardSaved(reward: Reward): void {
    this.creating.set(false);
    this.editingId.set(null);
    this.replace(reward);
  }

  protected async setActive(reward: Reward, active: boolean): Promise<void> {
    this.problem.set(null);
    this.busyId.set(reward.id);
    try {
      this.replace(await this.#client.setActive(this.businessId(), reward.id, active));
    } catch (error) {
      this.problem.set(toApiError(error).detail);
    } finally {
      this.busyId.set(null);
    }
  }

  protected errorText(error: unknown): string {
    return toApiError(error).detail;
  }

  private replace(reward: Reward): void {
    const current = this.rewards.hasValue() ? this.rewards.value() : [];
    const exists = current.some((r) => r.id === reward.id);
    this.rewards.set(
      exists ? current.map((r) => (r.id === reward.id ? reward : r)) : [...current, reward],
    );
  }
}
