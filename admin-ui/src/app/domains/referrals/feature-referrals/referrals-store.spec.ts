import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { settle } from '../../../../testing/dom';
import { ReferralResponse } from '../data/referrals-client';
import { ReferralsStore } from './referrals-store';

function raw(id: number, status: 'pending' | 'completed'): ReferralResponse {
  return {
    id,
    business_id: 3,
    referrer_phone_number: '+263771234567',
    referred_phone_number: `+26377222000${id}`,
    status,
    referral_code_used: null,
    points_awarded: status === 'completed' ? 1500 : null,
    loyalty_transaction_id: null,
    created_at: '2026-11-01T10:00:00Z',
    tracked_at: null,
    completed_at: null,
    first_purchase_at: status === 'completed' ? '2026-11-01T11:00:00Z' : null,
  };
}

describe('ReferralsStore', () => {
  let store: ReferralsStore;
  let httpMock: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), ReferralsStore],
    });
    httpMock = TestBed.inject(HttpTestingController);
    store = TestBed.inject(ReferralsStore);
    TestBed.tick();
    const pending = httpMock.expectOne((r) => r.url === '/referrals');
    expect(pending.request.params.get('status')).toBe('pending');
    pending.flush({ items: [raw(1, 'pending'), raw(2, 'pending')], total: 2 });
    httpMock
      .expectOne('/referrals/settings')
      .flush({ business_id: 3, default_bonus_points: 100, max_bonus_points: 10000 });
    await settle();
  });

  afterEach(() => httpMock.verify());

  it('lists pending referrals first', () => {
    expect(store.status()).toBe('pending');
    expect(store.referrals.value()?.referrals.map((r) => r.id)).toEqual([1, 2]);
  });

  it('drops a completed referral from the list and says what it awarded', () => {
    store.startCompleting(1);
    expect(store.completingId()).toBe(1);
    store.referralCompleted({
      id: 1,
      referredPhoneNumber: '+263772220001',
      referrerPhoneNumber: '+263771234567',
      referralCode: null,
      status: 'completed',
      createdAt: '2026-11-01T10:00:00Z',
      completedAt: '2026-11-02T10:00:00Z',
      pointsAwarded: 1500,
      firstPurchaseAt: '2026-11-01T11:00:00Z',
    });
    expect(store.completingId()).toBeNull();
    expect(store.notice()).toBe('Referral completed: 1,500 points for +263 77 123 4567.');
    expect(store.referrals.value()).toEqual({
      referrals: [expect.objectContaining({ id: 2 })],
      total: 1,
    });
  });

  it('loads the default bonus and takes the saved one', () => {
    expect(store.settings.value()).toEqual({ defaultBonusPoints: 100, maxBonusPoints: 10000 });
    store.settingsSaved({ defaultBonusPoints: 40, maxBonusPoints: 10000 });
    expect(store.settings.value()?.defaultBonusPoints).toBe(40);
  });

  it('switches status, closing the open form and the notice', async () => {
    store.startCompleting(2);
    store.showStatus('completed');
    expect(store.completingId()).toBeNull();
    expect(store.notice()).toBeNull();
    TestBed.tick();
    const completed = httpMock.expectOne((r) => r.url === '/referrals');
    expect(completed.request.params.get('status')).toBe('completed');
    completed.flush({ items: [raw(3, 'completed')], total: 1 });
    await settle();
    expect(store.referrals.value()?.referrals.map((r) => r.status)).toEqual(['completed']);
  });
});
