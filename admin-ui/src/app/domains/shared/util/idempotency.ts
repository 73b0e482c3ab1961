/**
 * Idempotency keys for write calls (IETF Idempotency-Key draft, docs/api.md "Rules for every route").
 *
 * One key per intended operation: repeating the *same* request (a double tap, a retry after
 * the network dropped the answer) reuses the key, so the server returns the first result
 * instead of awarding twice; a changed request or a completed one gets a fresh key.
 */
export class IdempotencyKeys {
  #body: string | null = null;
  #key: string | null = null;

  /** The key to send with `body`. */
  keyFor(body: unknown): string {
    const fingerprint = JSON.stringify(body);
    if (this.#key === null || this.#body !== fingerprint) {
      this.#body = fingerprint;
      this.#key = newKey();
    }
    return this.#key;
  }

  /**
   * After a failure: forget the key if the server gave a definite answer, keep it when the
   * outcome is unknown (no answer, 502/503/504) or the first request is still being processed
   * (409 `IdempotencyInFlight`), so a retry of the same request is recognised.
   */
  failed(error: { readonly unavailable: boolean; readonly code: string | null }): void {
    if (!error.unavailable && error.code !== 'IdempotencyInFlight') {
      this.done();
    }
  }

  /** The request completed (success or a definite refusal): the next one is new. */
  done(): void {
    this.#body = null;
    this.#key = null;
  }
}

function newKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  // crypto.randomUUID needs a secure context; the gateway serves HTTPS, this is a fallback.
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
