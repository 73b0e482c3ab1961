import { Transaction, toTransaction } from '../../shared/data/transaction';
import { transactionWire } from '../../../../testing/wire';
import { refundAmountProblem, reversible, toCents } from './refunds';

function row(fields: object): Transaction {
  return toTransaction(transactionWire(fields) as Parameters<typeof toTransaction>[0]);
}

describe('refunds', () => {
  const purchase = row({ id: 1, type: 'earn', amount_spent: '25.00', points: 25 });

  it('reads money as cents without floats', () => {
    expect(toCents('25')).toBe(2500);
    expect(toCents('0.1')).toBe(10);
    expect(toCents('19.99')).toBe(1999);
    expect(toCents('1.234')).toBeNull();
    expect(toCents('-1')).toBeNull();
  });

  it('offers a purchase for what is left of it after earlier refunds', () => {
    expect(reversible(purchase, [purchase])?.amountLeft).toBe('25.00');
    const part = row({
      id: 2,
      type: 'reversal',
      amount_spent: '10.50',
      points: -10,
      reversed_transaction_id: 1,
    });
    expect(reversible(purchase, [part, purchase])?.amountLeft).toBe('14.50');
    const rest = row({
      id: 3,
      type: 'reversal',
      amount_spent: '14.50',
      points: -15,
      reversed_transaction_id: 1,
    });
    expect(reversible(purchase, [rest, part, purchase])).toBeNull();
  });

  it('offers a redemption or a bonus whole, once; never a refund, expiry or import', () => {
    const redemption = row({ id: 4, type: 'redeem', amount_spent: null, points: -100 });
    expect(reversible(redemption, [redemption])).toEqual({
      transaction: redemption,
      amountLeft: null,
    });
    const back = row({ id: 5, type: 'reversal', amount_spent: null, reversed_transaction_id: 4 });
    expect(reversible(redemption, [back, redemption])).toBeNull();
    const bonus = row({ id: 6, type: 'referral_bonus', amount_spent: null, points: 50 });
    expect(reversible(bonus, [bonus])?.amountLeft).toBeNull();
    for (const type of ['reversal', 'expire', 'import']) {
      expect(reversible(row({ id: 7, type }), [])).toBeNull();
    }
  });

  it('checks a partial amount against what is left', () => {
    expect(refundAmountProblem('', '25.00')).toBeNull();
    expect(refundAmountProblem('10.5', '25.00')).toBeNull();
    expect(refundAmountProblem('25', '25.00')).toBeNull();
    expect(refundAmountProblem('25.01', '25.00', '$25.00')).toBe(
      'At most $25.00 of this purchase is left to refund.',
    );
    expect(refundAmountProblem('0', '25.00')).toBe('The amount must be more than 0.');
    expect(refundAmountProblem('1.234', '25.00')).toBe('Use at most 2 decimal places.');
    expect(refundAmountProblem('ten', '25.00')).toBe(
      'Enter an amount like 5 or 5.50, or leave it empty.',
    );
  });
});
