/**
 * The rewards catalog: what customers can redeem their points for. Add, edit, and deactivate
 * (or re-activate) rewards; inactive ones stay listed, greyed out, for the record.
 */
import { Component, inject } from '@angular/core';

import { Alert } from '../../shared/ui/alert';
import { Button } from '../../shared/ui/button';
import { Card } from '../../shared/ui/card';
import { Icon } from '../../shared/ui/icon';
import { PageHeader } from '../../shared/ui/page-header';
import { PointsPipe } from '../../shared/ui/pipes';
import { LIST_STATES } from '../../shared/ui/states';
import { RewardForm } from './reward-form';
import { RewardsStore } from './rewards-store';

@Component({
  selector: 'adm-reward-catalog',
  providers: [RewardsStore],
  imports: [Alert, Button, Card, Icon, PageHeader, PointsPipe, RewardForm, LIST_STATES],
  template: `
    <adm-page-header
      title="Rewards"
      subtitle="What customers can redeem their points for at your business."
    >
      @if (!store.creating()) {
        <button admButton type="button" (click)="store.startCreating()">
          <adm-icon name="plus" class="size-4" /> New reward
        </button>
      }
    </adm-page-header>

    @if (store.creating()) {
      <adm-card heading="New reward" class="mb-4">
        <adm-reward-form
          [businessId]="store.businessId()"
          (saved)="store.rewardSaved($event)"
          (cancelled)="store.cancelCreating()"
        />
      </adm-card>
    }
    @if (store.problem(); as problem) {
      <adm-alert kind="error" class="mb-4">{{ problem }}</adm-alert>
    }

    @if (store.rewards.isLoading() && !store.rewards.hasValue()) {
      <adm-card><adm-loading label="Loading rewards…" /></adm-card>
    } @else if (store.rewards.error(); as error) {
      <adm-card
        ><adm-load-error [message]="error | humanMessage" (retry)="store.reload()"
      /></adm-card>
    } @else if (store.sorted().length === 0) {
      <adm-card>
        <adm-empty
          title="No rewards yet"
          hint="Add a reward such as “Free coffee for 100 points”."
        />
      </adm-card>
    } @else {
      <ul class="grid grid-cols-1 gap-3 sm:grid-cols-2">
        @for (reward of store.sorted(); track reward.id) {
          <li
            class="rounded-card border border-line/70 bg-surface p-4 shadow-card"
            [class.opacity-70]="!reward.active"
          >
            @if (store.editingId() === reward.id) {
              <adm-reward-form
                [businessId]="store.businessId()"
                [reward]="reward"
                (saved)="store.rewardSaved($event)"
                (cancelled)="store.cancelEditing()"
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
                <button admButton="secondary" type="button" (click)="store.startEditing(reward.id)">
                  Edit
                </button>
                @if (reward.active) {
                  <button
                    admButton="danger"
                    type="button"
                    [disabled]="store.busyId() === reward.id"
                    (click)="store.setActive(reward, false)"
                  >
                    Deactivate
                  </button>
                } @else {
                  <button
                    admButton="secondary"
                    type="button"
                    [disabled]="store.busyId() === reward.id"
                    (click)="store.setActive(reward, true)"
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
  protected readonly store = inject(RewardsStore);
}
