import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { ApiError } from '../../../core/http/api-error';
import { CustomersClient, isCustomerNotFound } from './customers-client';

describe('CustomersClient', () => {
  let client: CustomersClient;
  let httpMock: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    client = TestBed.inject(CustomersClient);
    httpMock = TestBed.inject(HttpTestingController);
  });

  afterEach(() => httpMock.verify());

  it('looks a customer up with the phone number encoded in the path', async () => {
    const customer = client.customer(3, '+263771234567');
    httpMock.expectOne('/businesses/3/customers/%2B263771234567').flush({
      phone_number: '+263771234567',
      total_points: 140,
      transactions: [
        {
          id: 7,
          type: 'earn',
          business_id: 3,
          business_name: 'Mbare Coffee',
          amount_spent: '25.00',
          points: 25,
          reward_description: null,
          timestamp: '2026-11-01T10:00:00Z',
        },
      ],
    });
    expect(await customer).toEqual({
      phoneNumber: '+263771234567',
      totalPoints: 140,
      transactions: [
        {
          id: 7,
          type: 'earn',
          businessId: 3,
          businessName: 'Mbare Coffee',
          amountSpent: '25.00',
          points: 25,
          rewardDescription: null,
          timestamp: '2026-11-01T10:00:00Z',
          customerPhoneNumber: null,
        },
      ],
    });
  });

  it('tells an unknown customer (404 CustomerNotFound) from other failures', async () => {
    const unknown = client.customer(3, '0779999999');
    httpMock
      .expectOne('/businesses/3/customers/0779999999')
      .flush(
        { detail: 'Customer not found', error: 'CustomerNotFound' },
        { status: 404, statusText: 'Not Found' },
      );
    const error = await unknown.catch((e: unknown) => e);
    expect(isCustomerNotFound(error)).toBe(true);
    expect(isCustomerNotFound(new ApiError(404, 'Business not found', 'BusinessNotFound'))).toBe(
      false,
    );
  });

  it('redeems with the reward id when a catalog reward was chosen', async () => {
    const result = client.redeem(
      {
        businessId: 3,
        customerPhoneNumber: '+263771234567',
        pointsToRedeem: 100,
        rewardDescription: 'Free coffee',
        rewardId: 4,
      },
      'key-9',
    );
    const req = httpMock.expectOne('/transactions/redeem_points');
    expect(req.request.headers.get('Idempotency-Key')).toBe('key-9');
    expect(req.request.body).toEqual({
      business_id: 3,
      customer_phone_number: '+263771234567',
      points_to_redeem: 100,
      reward_description: 'Free coffee',
      reward_id: 4,
    });
    req.flush(
      { transaction_id: 5, points_redeemed: 100, total_points: 40 },
      { status: 201, statusText: 'Created' },
    );
    expect(await result).toEqual({ transactionId: 5, pointsRedeemed: 100, totalPoints: 40 });
  });

  it('surfaces insufficient points as a 409 with the server detail', async () => {
    const result = client.redeem(
      {
        businessId: 3,
        customerPhoneNumber: '+263771234567',
        pointsToRedeem: 500,
        rewardDescription: 'TV',
      },
      'key-10',
    );
    const req = httpMock.expectOne('/transactions/redeem_points');
    expect(req.request.body.reward_id).toBeUndefined();
    req.flush(
      { detail: 'The customer does not have enough points', error: 'InsufficientPoints' },
      { status: 409, statusText: 'Conflict' },
    );
    await expect(result).rejects.toEqual(
      new ApiError(409, 'The customer does not have enough points', 'InsufficientPoints'),
    );
  });
});
