/**
 * The business's access token: kept in localStorage so a refresh keeps the owner signed in,
 * exposed as a signal so the interceptor, the guards and the shell react to sign-in and out.
 *
 * A token whose `exp` has passed is dropped when read, so an old tab opens on the sign-in page
 * instead of failing its first call. (The token is not otherwise decoded: the business id comes
 * from `GET /auth/me`, see `Session`.)
 */
import { Service, computed, signal } from '@angular/core';

export const TOKEN_STORAGE_KEY = 'mubayiro.admin.token';

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // Storage can be blocked (private modes, strict cookie settings).
  }
}

/** True when the JWT's `exp` claim is in the past; false when it cannot be read. */
export function tokenExpired(token: string, nowSeconds = Date.now() / 1000): boolean {
  try {
    const payload = token.split('.')[1];
    if (!payload) {
      return false;
    }
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' && exp <= nowSeconds;
  } catch {
    return false;
  }
}

function readStoredToken(): string | null {
  const token = storage()?.getItem(TOKEN_STORAGE_KEY) ?? null;
  if (token && tokenExpired(token)) {
    storage()?.removeItem(TOKEN_STORAGE_KEY);
    return null;
  }
  return token;
}

@Service()
export class AuthStore {
  readonly #token = signal<string | null>(readStoredToken());

  /** The bearer token, or null when signed out. */
  readonly token = this.#token.asReadonly();
  readonly signedIn = computed(() => this.#token() !== null);

  /** Keep `token` for this browser and start using it. */
  signIn(token: string): void {
    storage()?.setItem(TOKEN_STORAGE_KEY, token);
    this.#token.set(token);
  }

  /** Forget the token (sign out). */
  signOut(): void {
    storage()?.removeItem(TOKEN_STORAGE_KEY);
    this.#token.set(null);
  }
}
