import { flushError, useService } from '../../../../testing/http';
import { ApiError } from '../../../core/http/api-error';
import { LedgerClient, Redemption, isCustomerNotFound, pointsFor } from './ledger-client';
import { awardWire, CREATED } from '../../../../testing/wire';

describe('LedgerClient', () => {
  const bed = useService(LedgerClient);

  /** A redemption by the customer +263 77 123 4567 at business 3. */
  function redeem(reward: Omit<Redemption, 'businessId' | 'customerPhoneNumber'>, key: string) {
    return bed.service.redeem(
      { businessId: 3, customerPhoneNumber: '+263771234567', ...reward },
      key,
    );
  }

  it('looks a customer up with the phone number encoded in the path', async () => {
    const customer = bed.service.customer(3, '+263771234567');
    bed.httpMock.expectOne('/businesses/3/customers/%2B263771234567').flush({
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
        {
          id: 8,
          type: 'reversal',
          business_id: 3,
          business_name: 'Mbare Coffee',
          amount_spent: '25.00',
          points: -10,
          reward_description: 'Returned',
          reversed_transaction_id: 7,
          shortfall: 15,
          timestamp: '2026-11-02T10:00:00Z',
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
          reversedTransactionId: null,
          shortfall: null,
          customerPhoneNumber: null,
        },
        {
          id: 8,
          type: 'reversal',
          businessId: 3,
          businessName: 'Mbare Coffee',
          amountSpent: '25.00',
          points: -10,
          rewardDescription: 'Returned',
          timestamp: '2026-11-02T10:00:00Z',
          reversedTransactionId: 7,
          shortfall: 15,
          customerPhoneNumber: null,
        },
      ],
    });
  });

  it('tells an unknown customer (404 CustomerNotFound) from other failures', async () => {
    const unknown = bed.service.customer(3, '0779999999');
    flushError(
      bed.httpMock.expectOne('/businesses/3/customers/0779999999'),
      404,
      'CustomerNotFound',
      'Customer not found',
    );
    const error = await unknown.catch((e: unknown) => e);
    expect(isCustomerNotFound(error)).toBe(true);
    expect(isCustomerNotFound(new ApiError(404, 'Business not found', 'BusinessNotFound'))).toBe(
      false,
    );
  });

  it('redeems with the reward id when a catalog reward was chosen', async () => {
    const result = redeem(
      { pointsToRedeem: 100, rewardDescription: 'Free coffee', rewardId: 4 },
      'key-9',
    );
    const req = bed.httpMock.expectOne('/transactions/redeem_points');
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
    const result = redeem({ pointsToRedeem: 500, rewardDescription: 'TV' }, 'key-10');
    const req = bed.httpMock.expectOne('/transactions/redeem_points');
    expect(req.request.body.reward_id).toBeUndefined();
    flushError(req, 409, 'InsufficientPoints', 'The customer does not have enough points');
    await expect(result).rejects.toEqual(
      new ApiError(409, 'The customer does not have enough points', 'InsufficientPoints'),
    );
  });

  it('reads the program with its rate as a string', async () => {
    const program = bed.service.program(3);
    bed.httpMock
      .expectOne('/businesses/3')
      .flush({ id: 3, name: 'Bakery', loyalty_rate: '1.5000' });
    expect(await program).toEqual({
      id: 3,
      name: 'Bakery',
      loyaltyRate: '1.5000',
      pointsExpireAfterDays: null,
    });
  });

  it('adds points with an Idempotency-Key header and the backend field names', async () => {
    const result = bed.service.addPoints(
      { businessId: 3, customerPhoneNumber: '0771234567', amountSpent: '25.50' },
      'key-1',
    );
    const req = bed.httpMock.expectOne('/transactions/add_points');
    expect(req.request.headers.get('Idempotency-Key')).toBe('key-1');
    expect(req.request.body).toEqual({
      business_id: 3,
      customer_phone_number: '0771234567',
      amount_spent: '25.50',
    });
    req.flush(awardWire(1, '+263771234567', 25, 140), CREATED);
    expect(await result).toEqual({
      transactionId: 1,
      customerPhoneNumber: '+263771234567',
      pointsEarned: 25,
      totalPoints: 140,
    });
  });

  it("asks for the customer's redemption code and sends it with the redemption", async () => {
    const asked = bed.service.requestRedemptionCode(3, '+263771234567');
    const ask = bed.httpMock.expectOne('/transactions/redemption_codes');
    expect(ask.request.body).toEqual({ business_id: 3, customer_phone_number: '+263771234567' });
    ask.flush(null, { status: 202, statusText: 'Accepted' });
    await asked;

    const result = redeem(
      {
        pointsToRedeem: 100,
        rewardDescription: 'Free coffee',
        rewardId: 4,
        customerCode: '123456',
      },
      'key-11',
    );
    const req = bed.httpMock.expectOne('/transactions/redeem_points');
    expect(req.request.body.customer_code).toBe('123456');
    req.flush(
      { transaction_id: 6, points_redeemed: 100, total_points: 40 },
      { status: 201, statusText: 'Created' },
    );
    await result;
  });
});

describe('pointsFor', () => {
  it('floors amount × rate exactly, as the server does with Decimals', () => {
    expect(pointsFor('12.50', '2.0000')).toBe(25);
    expect(pointsFor('0.29', '100')).toBe(29); // 0.29 × 100 is 28.999… in floats
    expect(pointsFor('0.50', '1.0000')).toBe(0);
    expect(pointsFor('10', '0')).toBe(0);
    expect(pointsFor('1000000', '1000')).toBe(1_000_000_000);
  });

  it('gives null for anything that is not a plain decimal', () => {
    expect(pointsFor('abc', '1')).toBeNull();
    expect(pointsFor('1', '')).toBeNull();
  });
});
