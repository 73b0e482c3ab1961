import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { ProgramClient } from './program-client';

describe('ProgramClient', () => {
  let client: ProgramClient;
  let httpMock: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    client = TestBed.inject(ProgramClient);
    httpMock = TestBed.inject(HttpTestingController);
  });

  afterEach(() => httpMock.verify());

  it('reads the program with its rate as a string', async () => {
    const program = client.program(3);
    httpMock.expectOne('/businesses/3').flush({ id: 3, name: 'Bakery', loyalty_rate: '1.5000' });
    expect(await program).toEqual({ id: 3, name: 'Bakery', loyaltyRate: '1.5000' });
  });

  it('posts a new loyalty rate', async () => {
    const program = client.setLoyaltyRate(3, '0.25');
    const req = httpMock.expectOne('/businesses/3/loyalty_rules');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ loyalty_rate: '0.25' });
    req.flush({ id: 3, name: 'Bakery', loyalty_rate: '0.2500' });
    expect((await program).loyaltyRate).toBe('0.2500');
  });

  it('lists the latest transactions with a limit', async () => {
    const list = client.recentTransactions(3, 10);
    const req = httpMock.expectOne((r) => r.url === '/businesses/3/transactions');
    expect(req.request.params.get('limit')).toBe('10');
    req.flush([
      {
        id: 9,
        type: 'earn',
        business_id: 3,
        business_name: 'Bakery',
        amount_spent: '25.00',
        points: 25,
        reward_description: null,
        timestamp: '2026-11-01T10:00:00Z',
        customer_phone_number: '+263771234567',
      },
    ]);
    expect(await list).toEqual([
      {
        id: 9,
        type: 'earn',
        businessId: 3,
        businessName: 'Bakery',
        amountSpent: '25.00',
        points: 25,
        rewardDescription: null,
        timestamp: '2026-11-01T10:00:00Z',
        customerPhoneNumber: '+263771234567',
      },
    ]);
  });

  it('adds points with an Idempotency-Key header and the backend field names', async () => {
    const result = client.addPoints(
      { businessId: 3, customerPhoneNumber: '0771234567', amountSpent: '25.50' },
      'key-1',
    );
    const req = httpMock.expectOne('/transactions/add_points');
    expect(req.request.headers.get('Idempotency-Key')).toBe('key-1');
    expect(req.request.body).toEqual({
      business_id: 3,
      customer_phone_number: '0771234567',
      amount_spent: '25.50',
    });
    req.flush(
      {
        transaction_id: 1,
        customer_phone_number: '+263771234567',
        points_earned: 25,
        total_points: 140,
      },
      { status: 201, statusText: 'Created' },
    );
    expect(await result).toEqual({
      transactionId: 1,
      customerPhoneNumber: '+263771234567',
      pointsEarned: 25,
      totalPoints: 140,
    });
  });
});
