/**
 * Referrals: customers who brought a friend to this shop. A referral becomes pending when the
 * till records who referred a first-time customer, or when a friend invited from the portal
 * makes their first purchase here. Each pending one says whether the friend has bought here
 * yet; once they have, the owner completes it, which awards the referrer the bonus once
 * (the shop's default bonus filled in, set below the list). Completed ones are the record.
 */
import { DatePipe } from '@angular/common';
import { Component, inject } from '@angular/core';

import { Session } from '../../../core/auth/session';

import { Alert } from '../../shared/ui/alert';
import { Button } from '../../shared/ui/button';
import { Card } from '../../shared/ui/card';
import { PageHeader } from '../../shared/ui/page-header';
import { PhonePipe, PointsPipe } from '../../shared/ui/pipes';
import { Empty, LoadError, Loading } from '../../shared/ui/states';
import { ReferralStatus } from '../data/referrals-client';
import { CompleteReferralForm } from './complete-referral-form';
import { ReferralSettingsForm } from './referral-settings-form';
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
    ReferralSettingsForm,
  ],
  template: `
    <adm-page-header
      title="Referrals"
      subtitle="Reward customers who bring a friend: complete a referral once the friend has bought here, and the referrer gets your bonus."
    />

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
          hint="A referral appears here when you enter “Referred by” for a first-time customer at the till, or when a friend a customer invited from the Mubayiro portal makes their first purchase here."
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
                  @if (referral.status === 'pending') {
                    @if (referral.firstPurchaseAt) {
                      <p class="text-success" data-testid="bought">
                        First purchase here {{ referral.firstPurchaseAt | date: 'd MMM y' }}
                      </p>
                    } @else {
                      <p class="text-muted" data-testid="not-bought">
                        No purchase here yet: you can complete it after their first purchase.
                      </p>
                    }
                  }
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
                @if (
                  referral.status === 'pending' &&
                  referral.firstPurchaseAt &&
                  store.completingId() !== referral.id
                ) {
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
                  [defaultPoints]="
                    store.settings.hasValue() ? store.settings.value().defaultBonusPoints : null
                  "
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

    @if (store.settings.hasValue()) {
      <adm-card class="mt-4">
        @if (session.isOwner()) {
          <adm-referral-settings-form
            [settings]="store.settings.value()"
            (changed)="store.settingsSaved($event)"
          />
        } @else {
          <p class="text-sm text-muted">
            A completed referral gives the referrer
            {{ store.settings.value().defaultBonusPoints | points }} points by default.
          </p>
        }
      </adm-card>
    }
  `,
})
export class ReferralList {
  protected readonly store = inject(ReferralsStore);
  protected readonly session = inject(Session);

  protected readonly tabs: readonly { status: ReferralStatus; label: string }[] = [
    { status: 'pending', label: 'Pending' },
    { status: 'completed', label: 'Completed' },
  ];

  protected errorText(error: unknown): string {
    return humanMessage(error);
  }
}
