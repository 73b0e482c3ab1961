import { flushError, useService } from '../../../../testing/http';
import { ApiError } from '../../../core/http/api-error';
import { ReversalClient } from './reversal-client';

describe('ReversalClient', () => {
  const bed = useService(ReversalClient);

  it('reverses part of a purchase with its reason and key, and reads the shortfall', async () => {
    const result = bed.service.reverse(7, { amount: '10.00', reason: 'Returned' }, 'key-1');
    const req = bed.httpMock.expectOne('/transactions/7/reverse');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ amount: '10.00', reason: 'Returned' });
    expect(req.request.headers.get('Idempotency-Key')).toBe('key-1');
    req.flush(
      {
        transaction_id: 9,
        reversed_transaction_id: 7,
        points: -4,
        shortfall: 6,
        amount: '10.00',
        total_points: 0,
      },
      { status: 201, statusText: 'Created' },
    );
    expect(await result).toEqual({
      transactionId: 9,
      reversedTransactionId: 7,
      points: -4,
      shortfall: 6,
      amount: '10.00',
      totalPoints: 0,
    });
  });

  it('sends an empty body to reverse all of it', async () => {
    const result = bed.service.reverse(8, {}, 'key-2');
    const req = bed.httpMock.expectOne('/transactions/8/reverse');
    expect(req.request.body).toEqual({});
    req.flush({
      transaction_id: 10,
      reversed_transaction_id: 8,
      points: 100,
      shortfall: 0,
      amount: null,
      total_points: 140,
    });
    expect((await result).amount).toBeNull();
  });

  it('throws the refusal by name', async () => {
    const result = bed.service.reverse(8, {}, 'key-3');
    flushError(bed.httpMock.expectOne('/transactions/8/reverse'), 409, 'AlreadyReversed');
    await expect(result).rejects.toEqual(expect.any(ApiError));
    await expect(result).rejects.toMatchObject({ status: 409, code: 'AlreadyReversed' });
  });
});
