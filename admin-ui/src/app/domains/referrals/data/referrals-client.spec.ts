import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { ReferralsClient } from './referrals-client';

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

  it('lists referrals by status', async () => {
    const list = client.list('pending');
    const req = httpMock.expectOne((r) => r.url === '/referrals');
    expect(req.request.params.get('status')).toBe('pending');
    req.flush([
      {
        id: 1,
        new_customer_phone_number: '+263771234567',
        referrer_phone_number: '+263772222222',
        referral_code_used: null,
        status: 'pending',
        created_at: '2026-11-01T10:00:00Z',
      },
    ]);
    expect(await list).toEqual([
      {
        id: 1,
        newCustomerPhoneNumber: '+263771234567',
        referrerPhoneNumber: '+263772222222',
        referralCode: null,
        status: 'pending',
        createdAt: '2026-11-01T10:00:00Z',
        completedAt: null,
        pointsAwarded: null,
      },
    ]);
  });

  it('completes a referral with the points for the referrer', async () => {
    const done = client.complete(1, 50, 'key-1');
    const req = httpMock.expectOne('/referrals/complete');
    expect(req.request.body).toEqual({ referral_id: 1, points_to_award_referrer: 50 });
    expect(req.request.headers.get('Idempotency-Key')).toBe('key-1');
    req.flush({
      id: 1,
      new_customer_phone_number: '+263771234567',
      status: 'completed',
      points_awarded_referrer: 50,
    });
    expect(await done).toMatchObject({ status: 'completed', pointsAwarded: 50 });
  });
});
