/**
 * Referrals: customers who brought a friend. Pending ones can be completed, which awards the
 * referrer bonus points once; completed ones are the record.
 */
import { DatePipe } from '@angular/common';
import { Component, inject, resource, signal } from '@angular/core';

import { RuntimeConfig } from '../../../core/config/runtime-config';
import { toApiError } from '../../../core/http/api-error';
import { Alert } from '../../shared/ui/alert';
import { Button } from '../../shared/ui/button';
import { Card } from '../../shared/ui/card';
import { PageHeader } from '../../shared/ui/page-header';
import { PhonePipe, PointsPipe } from '../../shared/ui/pipes';
import { Empty, LoadError, Loading } from '../../shared/ui/states';
import { formatPoints } from '../../shared/util/format';
import { formatPhone } from '../../shared/util/phone';
import { Referral, ReferralStatus, ReferralsClient } from '../data/referrals-client';
import { CompleteReferralForm } from './complete-referral-form';

@Component({
  selector: 'adm-referral-list',
  imports: [
    Alert,
    Button,
    Card,
    CompleteReferralForm,
    DatePipe,
    Empty,
    LoadError,
    Loading,
    PageHeader,
    PhonePipe,
    PointsPipe,
  ],
  template: `
    <adm-page-header title="Referrals" subtitle="Reward customers who bring their friends." />

    <div
      class="mb-4 inline-flex rounded-lg border border-line bg-surface p-1"
      role="tablist"
      aria-label="Referral status"
    >
      @for (tab of tabs; track tab.status) {
        <button
          type="button"
          role="tab"
          class="min-h-10 rounded-md px-4 text-sm font-semibold"
          [attr.aria-selected]="status() === tab.status"
          [class.bg-brand-700]="status() === tab.status"
          [class.text-white]="status() === tab.status"
          [class.text-muted]="status() !== tab.status"
          (click)="showStatus(tab.status)"
        >
          {{ tab.label }}
        </button>
      }
    </div>

    @if (notice(); as notice) {
      <adm-alert kind="success" class="mb-4">{{ notice }}</adm-alert>
    }

    <adm-card>
      @if (referrals.isLoading() && !referrals.hasValue()) {
        <adm-loading label="Loading referrals…" />
      } @else if (referrals.error(); as error) {
        <adm-load-error [message]="errorText(error)" (retry)="referrals.reload()" />
      } @else if (referrals.hasValue() && referrals.value().referrals.length === 0) {
        <adm-empty
          [title]="status() === 'pending' ? 'No pending referrals' : 'No completed referrals yet'"
          hint="Referrals appear here when a customer invites a friend who then shops with you."
        />
      } @else if (referrals.hasValue()) {
        <ul class="divide-y divide-line/70" data-testid="referral-list">
          @for (referral of referrals.value().referrals; track referral.id) {
            <li class="py-3" data-testid="referral">
              <div class="flex flex-wrap items-start justify-between gap-3">
                <div class="min-w-0 text-sm">
                  <p class="font-semibold text-ink">
                    <span class="font-normal text-muted">New customer</span>
                    {{ referral.referredPhoneNumber | phone }}
                  </p>
                  <p class="text-muted">
                    Referred by {{ referral.referrerPhoneNumber | phone }}
                    @if (referral.referralCode) {
                      · code {{ referral.referralCode }}
                    }
                    · {{ referral.createdAt | date: 'd MMM y' }}
                  </p>
                  @if (referral.status === 'completed') {
                    <p class="text-success">
                      Completed{{
                        referral.completedAt ? ' ' + (referral.completedAt | date: 'd MMM y') : ''
                      }}
                      @if (referral.pointsAwarded !== null) {
                        · {{ referral.pointsAwarded | points }} points awarded
                      }
                    </p>
                  }
                </div>
                @if (referral.status === 'pending' && completingId() !== referral.id) {
                  <button
                    admButton="secondary"
                    type="button"
                    (click)="completingId.set(referral.id)"
                  >
                    Complete
                  </button>
                }
              </div>
              @if (completingId() === referral.id) {
                <adm-complete-referral-form
                  [referral]="referral"
                  (completed)="referralCompleted($event)"
                  (cancelled)="completingId.set(null)"
                />
              }
            </li>
          }
        </ul>
        @if (referrals.value().total > referrals.value().referrals.length) {
          <p class="mt-3 text-sm text-muted">
            Showing the latest {{ referrals.value().referrals.length | points }} of
            {{ referrals.value().total | points }}.
          </p>
        }
      }
    </adm-card>
  `,
})
export class ReferralList {
  readonly #client = inject(ReferralsClient);
  readonly #config = inject(RuntimeConfig);

  protected readonly tabs: readonly { status: ReferralStatus; label: string }[] = [
    { status: 'pending', label: 'Pending' },
    { status: 'completed', label: 'Completed' },
  ];
  protected readonly status = signal<ReferralStatus>('pending');
  protected readonly completingId = signal<number | null>(null);
  protected readonly notice = signal<string | null>(null);

  protected readonly referrals = resource({
    params: () => this.status(),
    loader: ({ params }) => this.#client.list(params),
  });

  protected showStatus(status: ReferralStatus): void {
    this.notice.set(null);
    this.completingId.set(null);
    this.status.set(status);
  }

  protected referralCompleted(referral: Referral): void {
    this.completingId.set(null);
    const points = formatPoints(referral.pointsAwarded, this.#config.locale());
    this.notice.set(
      `Referral completed: ${points} points for ${formatPhone(referral.referrerPhoneNumber)}.`,
    );
    if (this.referrals.hasValue()) {
      const page = this.referrals.value();
      this.referrals.set({
        referrals: page.referrals.filter((r) => r.id !== referral.id),
        total: Math.max(0, page.total - 1),
      });
    }
  }

  protected errorText(error: unknown): string {
    return toApiError(error).detail;
  }
}
