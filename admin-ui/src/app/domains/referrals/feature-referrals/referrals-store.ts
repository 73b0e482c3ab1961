/**
 * The referrals page's state: which status is listed (pending or completed), that page of
 * referrals, which referral's "complete" form is open, the last completion notice, and the
 * shop's referral settings (the bonus a completion offers by default).
 * Writable signals stay private; the page reads the views and changes state only through the
 * methods. Provided by the page, so the state lives as long as the page.
 */
import { Service, inject, resource, signal } from '@angular/core';

import { RuntimeConfig } from '../../../core/config/runtime-config';
import { pointsText } from '../../shared/util/format';
import { formatPhone } from '../../shared/util/phone';
import {
  Referral,
  ReferralSettings,
  ReferralStatus,
  ReferralsClient,
} from '../data/referrals-client';

@Service({ autoProvided: false })
export class ReferralsStore {
  readonly #client = inject(ReferralsClient);
  readonly #config = inject(RuntimeConfig);

  readonly #status = signal<ReferralStatus>('pending');
  readonly #completingId = signal<number | null>(null);
  readonly #notice = signal<string | null>(null);
  readonly #referrals = resource({
    params: () => this.#status(),
    loader: ({ params }) => this.#client.list(params),
  });

  readonly #settings = resource({ loader: () => this.#client.settings() });

  /** The shop's referral settings (loading state, error, value). */
  readonly settings = this.#settings.asReadonly();

  /** The status listed. */
  readonly status = this.#status.asReadonly();
  /** The referral whose "complete" form is open, if any. */
  readonly completingId = this.#completingId.asReadonly();
  /** What the last completion did ("Referral completed: 50 points for …"). */
  readonly notice = this.#notice.asReadonly();
  /** The listed page of referrals (loading state, error, value). */
  readonly referrals = this.#referrals.asReadonly();

  /** List the referrals with `status` (closing any open form and notice). */
  showStatus(status: ReferralStatus): void {
    this.#notice.set(null);
    this.#completingId.set(null);
    this.#status.set(status);
  }

  startCompleting(referralId: number): void {
    this.#completingId.set(referralId);
  }

  cancelCompleting(): void {
    this.#completingId.set(null);
  }

  /** `referral` was completed: say so and drop it from the pending list. */
  referralCompleted(referral: Referral): void {
    this.#completingId.set(null);
    const points = pointsText(referral.pointsAwarded ?? 0, this.#config.locale());
    this.#notice.set(
      `Referral completed: ${points} for ${formatPhone(referral.referrerPhoneNumber)}.`,
    );
    if (this.#referrals.hasValue()) {
      const page = this.#referrals.value();
      this.#referrals.set({
        referrals: page.referrals.filter((r) => r.id !== referral.id),
        total: Math.max(0, page.total - 1),
      });
    }
  }

  /** The owner changed the settings. */
  settingsSaved(settings: ReferralSettings): void {
    this.#settings.set(settings);
  }

  reload(): void {
    this.#referrals.reload();
  }
}
