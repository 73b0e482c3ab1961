/**
 * The ledger row every list returns (docs/api.md "The transaction row"), mapped once for all pages.
 */

export type TransactionType =
  'earn' | 'redeem' | 'referral_bonus' | 'reversal' | 'expire' | 'import';

export interface Transaction {
  readonly id: number;
  readonly type: TransactionType;
  readonly businessId: number;
  readonly businessName: string;
  /** Money spent as a decimal string, or null (redemptions, bonuses). */
  readonly amountSpent: string | null;
  /** Signed: + earned, − redeemed. */
  readonly points: number;
  readonly rewardDescription: string | null;
  readonly timestamp: string;
  /** A `reversal` row: the id of the transaction it refunds (null on every other row). */
  readonly reversedTransactionId: number | null;
  /** A `reversal` row: points it could not take back, already spent (null elsewhere). */
  readonly shortfall: number | null;
  /** Present in a business's own list (which customer); absent in a customer's history. */
  readonly customerPhoneNumber: string | null;
}

/**
 * The wire shape. `amount_spent` is a decimal string (`"12.50"`); `customer_phone_number` is
 * sent only in a business's own list (`GET /businesses/{id}/transactions`).
 */
export interface TransactionRow {
  id: number;
  type: TransactionType;
  business_id: number;
  business_name: string;
  amount_spent: string | null;
  points: number;
  reward_description: string | null;
  timestamp: string;
  /** Absent from services older than refunds. */
  reversed_transaction_id?: number | null;
  shortfall?: number | null;
  customer_phone_number?: string;
}

export function toTransaction(raw: TransactionRow): Transaction {
  return {
    id: raw.id,
    type: raw.type,
    businessId: raw.business_id,
    businessName: raw.business_name,
    amountSpent: raw.amount_spent,
    points: raw.points,
    rewardDescription: raw.reward_description,
    timestamp: raw.timestamp,
    reversedTransactionId: raw.reversed_transaction_id ?? null,
    shortfall: raw.shortfall ?? null,
    customerPhoneNumber: raw.customer_phone_number ?? null,
  };
}
