import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { ApiError } from '../../../core/http/api-error';
import { ReferralResponse, ReferralsClient } from './referrals-client';

const PENDING: ReferralResponse = {
  id: 1,
  business_id: 3,
  referrer_phone_number: '+263772222222',
  referred_phone_number: '+263771234567',
  status: 'pending',
  referral_code_used: 'TENDAI7',
  points_awarded: null,
  loyalty_transaction_id: null,
  created_at: '2026-11-01T10:00:00Z',
  tracked_at: '2026-11-01T10:00:00Z',
  completed_at: null,
  first_purchase_at: '2026-11-01T10:05:00Z',
};

describe('ReferralsClient', () => {
  let client: ReferralsClient;
  let httpMock: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    client = TestBed.inject(ReferralsClient);
    httpMock = TestBed.inject(HttpTestingController);
  });

  afterEach(() => httpMock.verify());

  it('lists one page of referrals by status, with the total', async () => {
    const list = client.list('pending');
    const req = httpMock.expectOne((r) => r.url === '/referrals');
    expect(req.request.params.get('status')).toBe('pending');
    expect(req.request.params.get('limit')).toBe('100');
    req.flush({ items: [PENDING], total: 120 });
    expect(await list).toEqual({
      referrals: [
        {
          id: 1,
          referredPhoneNumber: '+263771234567',
          referrerPhoneNumber: '+263772222222',
          referralCode: 'TENDAI7',
          status: 'pending',
          createdAt: '2026-11-01T10:00:00Z',
          completedAt: null,
          pointsAwarded: null,
          firstPurchaseAt: '2026-11-01T10:05:00Z',
        },
      ],
      total: 120,
    });
  });

  it('completes a referral with the points for the referrer', async () => {
    const done = client.complete(1, 50, 'key-1');
    const req = httpMock.expectOne('/referrals/complete');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ referral_id: 1, points_to_award_referrer: 50 });
    expect(req.request.headers.get('Idempotency-Key')).toBe('key-1');
    req.flush({
      ...PENDING,
      status: 'completed',
      points_awarded: 50,
      loyalty_transaction_id: 9,
      completed_at: '2026-11-02T08:00:00Z',
    });
    expect(await done).toMatchObject({
      status: 'completed',
      pointsAwarded: 50,
      completedAt: '2026-11-02T08:00:00Z',
    });
  });

  it('reads and saves the default bonus', async () => {
    const read = client.settings();
    httpMock
      .expectOne('/referrals/settings')
      .flush({ business_id: 3, default_bonus_points: 100, max_bonus_points: 10000 });
    expect(await read).toEqual({ defaultBonusPoints: 100, maxBonusPoints: 10000 });

    const saved = client.saveSettings(250);
    const req = httpMock.expectOne('/referrals/settings');
    expect(req.request.method).toBe('PUT');
    expect(req.request.body).toEqual({ default_bonus_points: 250 });
    req.flush({ business_id: 3, default_bonus_points: 250, max_bonus_points: 10000 });
    expect(await saved).toEqual({ defaultBonusPoints: 250, maxBonusPoints: 10000 });
  });

  it('surfaces a complete before the friend bought here as the service’s 409', async () => {
    const done = client.complete(1, 50, 'key-3');
    httpMock
      .expectOne('/referrals/complete')
      .flush(
        { detail: 'not bought yet', error: 'NoPurchaseYet' },
        { status: 409, statusText: 'Conflict' },
      );
    await expect(done).rejects.toEqual(new ApiError(409, 'not bought yet', 'NoPurchaseYet'));
  });

  it('surfaces a second completion as the service’s 409', async () => {
    const done = client.complete(1, 50, 'key-2');
    httpMock
      .expectOne('/referrals/complete')
      .flush(
        { detail: 'This referral has already been completed', error: 'ReferralAlreadyCompleted' },
        { status: 409, statusText: 'Conflict' },
      );
    await expect(done).rejects.toEqual(
      new ApiError(409, 'This referral has already been completed', 'ReferralAlreadyCompleted'),
    );
  });
});
