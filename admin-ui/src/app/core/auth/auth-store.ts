/**
 * The signed-in session's tokens: the short-lived access token (a JWT) and, when the auth
 * service hands one out, the rotating refresh token that renews it for a whole shift. Both
 * live in localStorage so a reload (or a second tab) stays signed in, and are exposed as
 * signals so the interceptor, the guards and the shell react to sign-in, renewal and sign-out.
 *
 * - An expired access token with no refresh token is dropped when read, so an old tab opens on
 *   the sign-in page instead of failing its first call. With a refresh token it is kept: the
 *   first call renews it (see `TokenRefresh`).
 * - Another tab that renews or signs out writes localStorage; the `storage` event brings the
 *   same tokens here, so two tabs never spend the same refresh token twice (a reused one
 *   revokes the whole session on the server).
 * - The token's claims give the role: `cashier` for a cashier's token, otherwise the person is
 *   an owner (the business's own token of before staff accounts carries `role: "business"`).
 */
import { Service, computed, signal } from '@angular/core';

export const TOKEN_STORAGE_KEY = 'mubayiro.admin.token';
export const REFRESH_STORAGE_KEY = 'mubayiro.admin.refresh';

/** What a person at the business may do: everything, or the till's work only. */
export type StaffRole = 'owner' | 'cashier';

/** The tokens of a sign-in or a renewal. */
export interface SessionTokens {
  readonly accessToken: string;
  /** Null when the auth service gives none (then the session ends with the access token). */
  readonly refreshToken: string | null;
}

/** The claims the app reads from an access token. */
export interface TokenClaims {
  readonly exp?: number;
  readonly role?: string;
  readonly staff_role?: string;
  readonly business_id?: number;
  readonly staff_id?: number;
}

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // Storage can be blocked (private modes, strict cookie settings).
  }
}

/** The JWT's payload, or an empty object when it cannot be read (the server decides). */
export function tokenClaims(token: string | null): TokenClaims {
  try {
    const payload = token?.split('.')[1];
    if (!payload) {
      return {};
    }
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(json) as unknown;
    return typeof claims === 'object' && claims !== null ? (claims as TokenClaims) : {};
  } catch {
    return {};
  }
}

/** True when the JWT's `exp` claim is within `marginSeconds` of now or past; false when unreadable. */
export function tokenExpired(token: string, nowSeconds = Date.now() / 1000, marginSeconds = 0) {
  const exp = tokenClaims(token).exp;
  return typeof exp === 'number' && exp <= nowSeconds + marginSeconds;
}

/** The role a token grants (see the file comment). */
export function roleOf(claims: TokenClaims): StaffRole {
  return claims.role === 'cashier' || claims.staff_role === 'cashier' ? 'cashier' : 'owner';
}

function readStoredTokens(): SessionTokens | null {
  const store = storage();
  const accessToken = store?.getItem(TOKEN_STORAGE_KEY) ?? null;
  const refreshToken = store?.getItem(REFRESH_STORAGE_KEY) ?? null;
  if (!accessToken) {
    return null;
  }
  if (tokenExpired(accessToken) && !refreshToken) {
    store?.removeItem(TOKEN_STORAGE_KEY);
    return null;
  }
  return { accessToken, refreshToken };
}

@Service()
export class AuthStore {
  readonly #tokens = signal<SessionTokens | null>(readStoredTokens());

  /** The bearer token, or null when signed out. */
  readonly token = computed(() => this.#tokens()?.accessToken ?? null);
  /** The refresh token, or null when signed out or when the server gave none. */
  readonly refreshToken = computed(() => this.#tokens()?.refreshToken ?? null);
  readonly signedIn = computed(() => this.#tokens() !== null);
  readonly claims = computed(() => tokenClaims(this.token()));
  readonly role = computed<StaffRole>(() => roleOf(this.claims()));
  readonly isOwner = computed(() => this.role() === 'owner');

  constructor() {
    // Another tab renewed or ended the session: follow it.
    globalThis.addEventListener?.('storage', (event: StorageEvent) => {
      if (event.key === TOKEN_STORAGE_KEY || event.key === REFRESH_STORAGE_KEY) {
        this.#tokens.set(readStoredTokens());
      }
    });
  }

  /**
   * Keep the tokens for this browser and start using them. A bare string is an access token
   * without a refresh token (the session ends when it expires).
   */
  signIn(tokens: SessionTokens | string): void {
    const next = typeof tokens === 'string' ? { accessToken: tokens, refreshToken: null } : tokens;
    const store = storage();
    store?.setItem(TOKEN_STORAGE_KEY, next.accessToken);
    if (next.refreshToken) {
      store?.setItem(REFRESH_STORAGE_KEY, next.refreshToken);
    } else {
      store?.removeItem(REFRESH_STORAGE_KEY);
    }
    this.#tokens.set(next);
  }

  /** The tokens as localStorage holds them now (another tab may have renewed them). */
  stored(): SessionTokens | null {
    return readStoredTokens();
  }

  /** Forget the tokens (sign out). */
  signOut(): void {
    storage()?.removeItem(TOKEN_STORAGE_KEY);
    storage()?.removeItem(REFRESH_STORAGE_KEY);
    this.#tokens.set(null);
  }
}
