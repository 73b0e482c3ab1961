import { useService } from '../../../../testing/http';
import { ProgramClient } from './program-client';

describe('ProgramClient', () => {
  const bed = useService(ProgramClient);

  it('posts the loyalty rules: the rate and when points expire', async () => {
    const program = bed.service.setLoyaltyRules(3, '0.25', 365);
    const req = bed.httpMock.expectOne('/businesses/3/loyalty_rules');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ loyalty_rate: '0.25', points_expire_after_days: 365 });
    req.flush({ id: 3, name: 'Bakery', loyalty_rate: '0.2500', points_expire_after_days: 365 });
    expect(await program).toEqual({
      id: 3,
      name: 'Bakery',
      loyaltyRate: '0.2500',
      pointsExpireAfterDays: 365,
    });
  });

  it('sends null for points that never expire', async () => {
    const program = bed.service.setLoyaltyRules(3, '1', null);
    const req = bed.httpMock.expectOne('/businesses/3/loyalty_rules');
    expect(req.request.body).toEqual({ loyalty_rate: '1', points_expire_after_days: null });
    req.flush({ id: 3, name: 'Bakery', loyalty_rate: '1.0000', points_expire_after_days: null });
    expect((await program).pointsExpireAfterDays).toBeNull();
  });

  it('lists the latest transactions with a limit', async () => {
    const list = bed.service.recentTransactions(3, 10);
    const req = bed.httpMock.expectOne((r) => r.url === '/businesses/3/transactions');
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
        reversedTransactionId: null,
        shortfall: null,
        customerPhoneNumber: '+263771234567',
      },
    ]);
  });
});
