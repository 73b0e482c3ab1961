/**
 * Referrals: customers who brought a friend. Pending ones can be completed, which awards the
 * referrer bonus points once; completed ones are the record.
 */
import { DatePipe } from '@angular/common';
import { Component, inject } from '@angular/core';

import { Alert } from '../../shared/ui/alert';
import { Button } from '../../shared/ui/button';
import { Card } from '../../shared/ui/card';
import { PageHeader } from '../../shared/ui/page-header';
import { PhonePipe, PointsPipe } from '../../shared/ui/pipes';
import { Empty, LoadError, Loading } from '../../shared/ui/states';
import { ReferralStatus } from '../data/referrals-client';
import { CompleteReferralForm } from './complete-referral-form';
import { ReferralsStore } from './referrals-store';
import { humanMessage } from '../../shared/util/messages';

@Component({
  selector: 'adm-referral-list',
  providers: [ReferralsStore],
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
          [attr.aria-selected]="store.status() === tab.status"
          [class.bg-brand-700]="store.status() === tab.status"
          [class.text-white]="store.status() === tab.status"
          [class.text-muted]="store.status() !== tab.status"
          (click)="store.showStatus(tab.status)"
        >
          {{ tab.label }}
        </button>
      }
    </div>

    @if (store.notice(); as notice) {
      <adm-alert kind="success" class="mb-4">{{ notice }}</adm-alert>
    }

    <adm-card>
      @if (store.referrals.isLoading() && !store.referrals.hasValue()) {
        <adm-loading label="Loading referrals…" />
      } @else if (store.referrals.error(); as error) {
        <adm-load-error [message]="errorText(error)" (retry)="store.reload()" />
      } @else if (store.referrals.hasValue() && store.referrals.value().referrals.length === 0) {
        <adm-empty
          [title]="
            store.status() === 'pending' ? 'No pending referrals' : 'No completed referrals yet'
          "
          hint="Referrals appear here when a customer invites a friend who then shops with you."
        />
      } @else if (store.referrals.hasValue()) {
        <ul class="divide-y divide-line/70" data-testid="referral-list">
          @for (referral of store.referrals.value().referrals; track referral.id) {
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
                @if (referral.status === 'pending' && store.completingId() !== referral.id) {
                  <button
                    admButton="secondary"
                    type="button"
                    (click)="store.startCompleting(referral.id)"
                  >
                    Complete
                  </button>
                }
              </div>
              @if (store.completingId() === referral.id) {
                <adm-complete-referral-form
                  [referral]="referral"
                  (completed)="store.referralCompleted($event)"
                  (cancelled)="store.cancelCompleting()"
                />
              }
            </li>
          }
        </ul>
        @if (store.referrals.value().total > store.referrals.value().referrals.length) {
          <p class="mt-3 text-sm text-muted">
            Showing the latest {{ store.referrals.value().referrals.length | points }} of
            {{ store.referrals.value().total | points }}.
          </p>
        }
      }
    </adm-card>
  `,
})
export class ReferralList {
  protected readonly store = inject(ReferralsStore);

  protected readonly tabs: readonly { status: ReferralStatus; label: string }[] = [
    { status: 'pending', label: 'Pending' },
    { status: 'completed', label: 'Completed' },
  ];

  protected errorText(error: unknown): string {
    return humanMessage(error);
  }
}
