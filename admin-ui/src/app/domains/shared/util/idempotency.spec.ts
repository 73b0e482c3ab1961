import { IdempotencyKeys } from './idempotency';

describe('IdempotencyKeys', () => {
  it('reuses the key for the same request until it is done', () => {
    const keys = new IdempotencyKeys();
    const first = keys.keyFor({ a: 1 });
    expect(keys.keyFor({ a: 1 })).toBe(first);
    keys.done();
    expect(keys.keyFor({ a: 1 })).not.toBe(first);
  });

  it('keeps the key only while the outcome is unknown or in flight', () => {
    const keys = new IdempotencyKeys();
    const first = keys.keyFor({ a: 1 });
    keys.failed({ unavailable: true, code: null });
    expect(keys.keyFor({ a: 1 })).toBe(first);
    keys.failed({ unavailable: false, code: 'IdempotencyInFlight' });
    expect(keys.keyFor({ a: 1 })).toBe(first);
    keys.failed({ unavailable: false, code: 'InsufficientPoints' });
    expect(keys.keyFor({ a: 1 })).not.toBe(first);
  });

  it('gives a changed request a new key', () => {
    const keys = new IdempotencyKeys();
    const first = keys.keyFor({ a: 1 });
    expect(keys.keyFor({ a: 2 })).not.toBe(first);
  });
});
