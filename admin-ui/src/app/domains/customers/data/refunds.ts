/**
 * What is left to reverse of a transaction, read from the customer's history here (a
 * transaction's refunds are newer than it, so whenever it is listed they are too). The server
 * decides (409 `AlreadyReversed` / `ReversalTooLarge`); this only keeps the page from offering
 * what it would refuse.
 */
import { Transaction } from '../../shared/data/transaction';

/** A transaction that can still be reversed, and how. */
export interface Reversible {
  readonly transaction: Transaction;
  /** A purchase: the money not refunded yet (a decimal string), else null (whole only). */
  readonly amountLeft: string | null;
}

const REVERSIBLE: ReadonlySet<string> = new Set(['earn', 'redeem', 'referral_bonus']);

/** Cents of a decimal string of money ("12.5" → 1250), or null when it is not one. */
export function toCents(money: string): number | null {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(money.trim());
  return match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : null;
}

function fromCents(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** `transaction` as it can still be reversed, or null (not reversible, or reversed in full). */
export function reversible(
  transaction: Transaction,
  history: readonly Transaction[],
): Reversible | null {
  if (!REVERSIBLE.has(transaction.type)) {
    return null;
  }
  const reversals = history.filter(
    (row) => row.type === 'reversal' && row.reversedTransactionId === transaction.id,
  );
  const spent = transaction.amountSpent === null ? null : toCents(transaction.amountSpent);
  if (transaction.type !== 'earn' || spent === null) {
    return reversals.length > 0 ? null : { transaction, amountLeft: null };
  }
  const refunded = reversals.reduce((sum, row) => sum + (toCents(row.amountSpent ?? '') ?? 0), 0);
  return refunded >= spent ? null : { transaction, amountLeft: fromCents(spent - refunded) };
}

/**
 * A problem with a partial refund's amount (empty: all that is left, fine); `shown` is
 * `amountLeft` as the page writes money ("$25.00").
 */
export function refundAmountProblem(
  raw: string,
  amountLeft: string,
  shown = amountLeft,
): string | null {
  const value = raw.trim();
  if (value === '') {
    return null;
  }
  const cents = toCents(value);
  if (cents === null) {
    return /^\d*\.\d{3,}$/.test(value)
      ? 'Use at most 2 decimal places.'
      : 'Enter an amount like 5 or 5.50, or leave it empty.';
  }
  if (cents <= 0) {
    return 'The amount must be more than 0.';
  }
  if (cents > (toCents(amountLeft) ?? 0)) {
    return `At most ${shown} of this purchase is left to refund.`;
  }
  return null;
}
