/**
 * The till's state: the customer being served (looked up by phone), their balance, the
 * rewards they can afford now, their last visits here, and the outcome of the last thing the
 * cashier did. One message at a time: each action replaces it, so an old "Points added" never
 * sits beside a new error.
 *
 * Redeeming asks for the customer's consent where the coalition requires it: a redemption is
 * first sent as it is (with the visit's code, once the customer gave one); a 428
 * `CustomerCodeRequired` makes the loyalty service text the customer a code
 * (`POST /transactions/redemption_codes`) and the till asks for it; the same redemption is
 * then sent with `customer_code`. A code stays valid for the visit (10 minutes), so further
 * redemptions for the same customer need no new code; a 403 `InvalidCustomerCode` says the
 * code was wrong and keeps the question open. Where no code is required the first attempt
 * simply succeeds: one tap.
 *
 * Awards compute `floor(amount × rate)` first: a sale that would earn 0 points is refused
 * here with the reason instead of being recorded silently.
 *
 * A first-time customer's award may say who referred them (their phone number or referral
 * code). The referral is recorded first (`POST /referrals/track`): if the referrals service
 * refuses it, nothing is recorded and the cashier can correct or clear the field; then the
 * sale is awarded, which is the friend's first purchase here — the referral shows on the
 * Referrals page as pending and bought, ready for the owner to complete.
 *
 * Writable state stays private; the page reads the views and acts through the methods.
 * Provided by the page, so the state lives as long as the page.
 */
import { Service, computed, inject, resource, signal } from '@angular/core';

import { Session } from '../../../core/auth/session';
import { RuntimeConfig } from '../../../core/config/runtime-config';
import { ApiError, toApiError } from '../../../core/http/api-error';
import {
  LedgerClient,
  PointsAdded,
  REWARD_REFUSALS,
  Redemption,
  isCustomerNotFound,
  pointsFor,
} from '../../shared/data/ledger-client';
import { ReferralTracking, TrackedReferral } from '../../shared/data/referral-tracking';
import { Reward, RewardsCatalog } from '../../shared/data/rewards-catalog';
import { formatMoney, formatRate, pointsText } from '../../shared/util/format';
import { IdempotencyKeys } from '../../shared/util/idempotency';
import { fieldMessages, humanMessage } from '../../shared/util/messages';
import { cleanPhone, formatPhone } from '../../shared/util/phone';

/** The referrals service's refusals of "referred by", in the till's words. */
const REFERRAL_REFUSALS: Readonly<Record<string, string>> = {
  ReferrerNotACustomer: 'The referrer must be a customer who has bought here before.',
  UnknownReferralCode: 'This referral code is not known here: check it, or use the phone number.',
  SelfReferral: 'A customer cannot refer themselves.',
  AlreadyReferred: 'This customer was already recorded as referred by someone else.',
  ReferralCodeMismatch: 'The referral code belongs to someone else.',
};

/** How many of the customer's latest transactions here the till lists. */
export const RECENT_VISITS = 5;

/** The outcome of the cashier's last action. */
export interface TillMessage {
  readonly kind: 'success' | 'error' | 'info';
  readonly text: string;
}

/** A redemption waiting for the customer's code. */
export interface PendingConsent {
  readonly reward: Reward;
  readonly phoneNumber: string;
}

/** What an award attempt came to (the page moves focus on success). */
export type AwardOutcome = 'awarded' | 'refused';

@Service({ autoProvided: false })
export class TillStore {
  readonly #session = inject(Session);
  readonly #ledger = inject(LedgerClient);
  readonly #catalog = inject(RewardsCatalog);
  readonly #config = inject(RuntimeConfig);
  readonly #referrals = inject(ReferralTracking);
  readonly #awardKeys = new IdempotencyKeys();
  readonly #trackKeys = new IdempotencyKeys();
  readonly #redeemKeys = new IdempotencyKeys();

  /** The phone number being served, cleaned; null between customers. */
  readonly #phone = signal<string | null>(null);
  readonly #message = signal<TillMessage | null>(null);
  readonly #consent = signal<PendingConsent | null>(null);
  /** The code this customer gave during this visit (valid for further redemptions). */
  readonly #visitCode = signal<{ phone: string; code: string } | null>(null);
  readonly #busy = signal<'award' | 'redeem' | 'code' | null>(null);

  readonly #customer = resource({
    params: () => {
      const businessId = this.#session.businessId();
      const phone = this.#phone();
      return businessId && phone ? { businessId, phone } : undefined;
    },
    loader: ({ params }) => this.#ledger.customer(params.businessId, params.phone),
  });
  readonly #program = resource({
    params: () => this.#session.businessId() ?? undefined,
    loader: ({ params }) => this.#ledger.program(params),
  });
  readonly #rewards = resource({
    params: () => this.#session.businessId() ?? undefined,
    loader: ({ params }) => this.#catalog.list(params),
  });

  /** The number being served (cleaned), or null. */
  readonly phone = this.#phone.asReadonly();
  /** The customer (loading state, error, value). */
  readonly customer = this.#customer.asReadonly();
  /** True when this business has not served the number yet: the first award creates them. */
  readonly isNew = computed(() => isCustomerNotFound(this.#customer.error()));
  /** A look-up failure other than "new customer", in words. */
  readonly lookUpProblem = computed(() => {
    const error = this.#customer.error();
    return error && !this.isNew() ? humanMessage(error) : null;
  });
  /** The number as the server normalised it, once known; else as typed (cleaned). */
  readonly shownPhone = computed(() =>
    this.#customer.hasValue() ? this.#customer.value().phoneNumber : (this.#phone() ?? ''),
  );
  readonly balance = computed(() =>
    this.#customer.hasValue() ? this.#customer.value().totalPoints : 0,
  );
  /** The active rewards the customer can afford now, cheapest first. */
  readonly affordable = computed(() =>
    this.#activeRewards().filter((r) => r.pointsCost <= this.balance()),
  );
  /** The cheapest reward still out of reach, and how many points it needs. */
  readonly nextReward = computed(() => {
    const reward = this.#activeRewards().find((r) => r.pointsCost > this.balance());
    return reward ? { reward, missing: reward.pointsCost - this.balance() } : null;
  });
  readonly hasRewards = computed(() => this.#activeRewards().length > 0);
  readonly recent = computed(() =>
    this.#customer.hasValue() ? this.#customer.value().transactions.slice(0, RECENT_VISITS) : [],
  );
  readonly message = this.#message.asReadonly();
  readonly consent = this.#consent.asReadonly();
  readonly busy = this.#busy.asReadonly();
  /** The loyalty rate as the API sends it, once loaded. */
  readonly loyaltyRate = computed(() =>
    this.#program.hasValue() ? this.#program.value().loyaltyRate : null,
  );

  readonly #activeRewards = computed(() =>
    this.#rewards.hasValue() ? this.#rewards.value().filter((r) => r.active) : [],
  );

  /** Serve the customer with this number (any spelling the validators accept). */
  lookUp(phone: string): void {
    const cleaned = cleanPhone(phone);
    if (cleaned !== this.#phone()) {
      this.#consent.set(null);
    }
    this.#message.set(null);
    if (cleaned === this.#phone()) {
      this.#customer.reload(); // the same number again: fresh figures
    } else {
      this.#phone.set(cleaned);
    }
  }

  /** Done with this customer: clear everything for the next one. */
  nextCustomer(): void {
    this.#phone.set(null);
    this.#message.set(null);
    this.#consent.set(null);
    this.#visitCode.set(null);
    this.#awardKeys.done();
    this.#trackKeys.done();
    this.#redeemKeys.done();
  }

  /** The points `amount` would earn at the current rate, or null when unknown. */
  pointsFor(amount: string): number | null {
    const rate = this.loyaltyRate();
    return rate === null ? null : pointsFor(amount, rate);
  }

  /**
   * Award points for a sale of `amount` (already checked by the form) to the customer being
   * served, recording first who referred a first-time customer when `referredBy` (a phone
   * number or referral code) is given. Field problems come back by field name
   * (`amount_spent`, `referred_by`) for the form.
   */
  async award(
    amount: string,
    referredBy = '',
  ): Promise<{ outcome: AwardOutcome; fields?: Record<string, string> }> {
    const phone = this.#phone();
    const businessId = this.#session.businessId();
    if (!phone || !businessId || this.#busy()) {
      return { outcome: 'refused' };
    }
    const expected = this.pointsFor(amount);
    if (expected === 0) {
      this.#message.set({ kind: 'error', text: this.#zeroPointsText(amount) });
      return { outcome: 'refused' };
    }
    const request = { businessId, customerPhoneNumber: phone, amountSpent: amount.trim() };
    this.#busy.set('award');
    this.#message.set(null);
    let referral: TrackedReferral | null = null;
    if (referredBy.trim() !== '' && this.isNew()) {
      referral = await this.#trackReferral(businessId, phone, referredBy.trim());
      if (referral === null) {
        this.#busy.set(null);
        return { outcome: 'refused', fields: { referred_by: this.#referralRefusal } };
      }
    }
    try {
      const result = await this.#ledger.addPoints(request, this.#awardKeys.keyFor(request));
      this.#awardKeys.done();
      this.#message.set(this.#awardedMessage(result, amount, referral));
      this.#customer.reload();
      return { outcome: 'awarded' };
    } catch (error) {
      const apiError = toApiError(error);
      this.#awardKeys.failed(apiError);
      const fields = fieldMessages(apiError, {
        amount_spent: `Enter an amount up to ${this.#money('1000000')}.`,
        customer_phone_number: 'Check the phone number.',
      });
      this.#message.set({
        kind: 'error',
        text:
          Object.keys(fields).length > 0
            ? 'Nothing was recorded: check the highlighted field.'
            : `Nothing was recorded. ${humanMessage(apiError)}`,
      });
      return { outcome: 'refused', fields };
    } finally {
      this.#busy.set(null);
    }
  }

  /** Redeem `reward` for the customer being served (see the file comment for consent). */
  async redeem(reward: Reward): Promise<boolean> {
    const phone = this.#phone();
    const visit = this.#visitCode();
    return this.#sendRedemption(reward, visit && visit.phone === phone ? visit.code : undefined);
  }

  /** The customer read out their code: redeem the waiting reward with it. */
  async confirmCode(code: string): Promise<boolean> {
    const pending = this.#consent();
    if (!pending || pending.phoneNumber !== this.#phone()) {
      return false;
    }
    return this.#sendRedemption(pending.reward, code.trim());
  }

  /** Text the customer a new code (the first did not arrive, or expired). */
  async resendCode(): Promise<void> {
    const pending = this.#consent();
    if (pending) {
      await this.#askForCode(pending.reward);
    }
  }

  /** Drop the redemption waiting for a code. */
  cancelConsent(): void {
    this.#consent.set(null);
    this.#message.set(null);
  }

  reloadRewards(): void {
    this.#rewards.reload();
  }

  async #sendRedemption(reward: Reward, code: string | undefined): Promise<boolean> {
    const phone = this.#phone();
    const businessId = this.#session.businessId();
    if (!phone || !businessId || this.#busy()) {
      return false;
    }
    const redemption: Redemption = {
      businessId,
      customerPhoneNumber: phone,
      pointsToRedeem: reward.pointsCost,
      // The catalog's own name, never free text: the record says what was really given.
      rewardDescription: reward.name,
      rewardId: reward.id,
      ...(code ? { customerCode: code } : {}),
    };
    this.#busy.set('redeem');
    this.#message.set(null);
    try {
      const result = await this.#ledger.redeem(redemption, this.#redeemKeys.keyFor(redemption));
      this.#redeemKeys.done();
      if (code) {
        this.#visitCode.set({ phone, code });
      }
      this.#consent.set(null);
      const locale = this.#config.locale();
      this.#message.set({
        kind: 'success',
        text:
          `Redeemed ${reward.name} for ${pointsText(result.pointsRedeemed, locale)}. ` +
          `New balance: ${pointsText(result.totalPoints, locale)}.`,
      });
      this.#customer.reload();
      return true;
    } catch (error) {
      const apiError = toApiError(error);
      this.#redeemKeys.failed(apiError);
      this.#busy.set(null);
      await this.#redemptionRefused(apiError, reward);
      return false;
    } finally {
      this.#busy.set(null);
    }
  }

  async #redemptionRefused(error: ApiError, reward: Reward): Promise<void> {
    if (error.code === 'CustomerCodeRequired' || (error.status === 428 && !error.code)) {
      this.#visitCode.set(null);
      await this.#askForCode(reward);
      return;
    }
    if (error.code === 'InvalidCustomerCode') {
      this.#visitCode.set(null);
      this.#consent.set({ reward, phoneNumber: this.#phone() ?? '' });
      this.#message.set({ kind: 'error', text: humanMessage(error) });
      return;
    }
    this.#consent.set(null);
    if (error.code === 'InsufficientPoints') {
      this.#customer.reload(); // the balance shown was stale (another till redeemed)
      this.#message.set({
        kind: 'error',
        text: `Not redeemed: the customer no longer has ${pointsText(reward.pointsCost)}. Their balance is updated.`,
      });
      return;
    }
    if (error.code && REWARD_REFUSALS.has(error.code)) {
      this.#rewards.reload(); // the catalog changed meanwhile
    }
    this.#message.set({ kind: 'error', text: `Not redeemed. ${humanMessage(error)}` });
  }

  async #askForCode(reward: Reward): Promise<void> {
    const phone = this.#phone();
    const businessId = this.#session.businessId();
    if (!phone || !businessId) {
      return;
    }
    this.#busy.set('code');
    try {
      await this.#ledger.requestRedemptionCode(businessId, phone);
      this.#consent.set({ reward, phoneNumber: phone });
      this.#message.set({
        kind: 'info',
        text: `We texted ${formatPhone(phone)} a 6-digit code. Ask the customer for it to redeem ${reward.name}.`,
      });
    } catch (error) {
      this.#message.set({
        kind: 'error',
        text: `Could not send the customer a code. ${humanMessage(error)}`,
      });
    } finally {
      this.#busy.set(null);
    }
  }

  /** The last refusal of a referral, for its field. */
  #referralRefusal = '';

  /** Record the referral; null (with the message set) when refused. */
  async #trackReferral(
    businessId: number,
    phone: string,
    referredBy: string,
  ): Promise<TrackedReferral | null> {
    const request = { businessId, phone, referredBy };
    try {
      const referral = await this.#referrals.track(
        businessId,
        phone,
        referredBy,
        this.#trackKeys.keyFor(request),
      );
      this.#trackKeys.done();
      return referral;
    } catch (error) {
      const apiError = toApiError(error);
      this.#trackKeys.failed(apiError);
      this.#referralRefusal = REFERRAL_REFUSALS[apiError.code ?? ''] ?? humanMessage(apiError);
      this.#message.set({
        kind: 'error',
        text: 'Nothing was recorded: check "Referred by", or clear it to add the points alone.',
      });
      return null;
    }
  }

  #awardedMessage(
    result: PointsAdded,
    amount: string,
    referral: TrackedReferral | null = null,
  ): TillMessage {
    const locale = this.#config.locale();
    if (result.pointsEarned === 0) {
      // The rate was not known here yet (still loading): say plainly that nothing was earned.
      return {
        kind: 'error',
        text: `The sale of ${this.#money(amount)} was recorded but earned 0 points at your rate.`,
      };
    }
    const referred = referral
      ? ` Referred by ${formatPhone(referral.referrerPhoneNumber)}: the referral is pending in Referrals, where the owner can complete it.`
      : '';
    return {
      kind: 'success',
      text:
        `Added ${pointsText(result.pointsEarned, locale)} for ` +
        `${formatPhone(result.customerPhoneNumber)}. ` +
        `New balance: ${pointsText(result.totalPoints, locale)}.${referred}`,
    };
  }

  #zeroPointsText(amount: string): string {
    const rate = this.loyaltyRate();
    const rateText =
      rate === null ? '' : ` at your rate of ${formatRate(rate)} per ${this.#money('1')}`;
    return `A sale of ${this.#money(amount)} earns 0 points${rateText}, so nothing was recorded.`;
  }

  #money(value: string): string {
    return formatMoney(value, this.#config.currency(), this.#config.locale()).replace(
      /[.,]00$/,
      '',
    );
  }
}
