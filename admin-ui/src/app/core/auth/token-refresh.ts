/**
 * Keeps a shift-long session alive: renews the access token with the refresh token
 * (`POST /auth/refresh {refresh_token}` → `{access_token, refresh_token, expires_in}`, the
 * refresh token rotating on every use) and revokes it on sign-out (`POST /auth/logout`).
 *
 * How it stays safe with several callers and tabs:
 * - one renewal at a time per tab: concurrent callers share the same promise;
 * - one at a time across tabs where the browser has Web Locks: inside the lock the tokens are
 *   read again from localStorage, and if another tab has already rotated them, those are
 *   adopted instead of spending the old refresh token a second time (the server treats a
 *   reused refresh token as stolen and revokes the session);
 * - a definite refusal (400/401/403/404: revoked, expired, or no such route on an older auth
 *   service) ends the session; no answer (0/5xx) keeps it, so a flaky network at the till
 *   never signs anyone out or loses what they typed.
 *
 * `schedule()` renews a minute before the access token expires, so a page left open renews
 * without waiting for a refused call; the interceptor also renews on demand (see there).
 */
import { HttpClient, HttpContext } from '@angular/common/http';
import { Service, inject } from '@angular/core';

import { apiCall } from '../http/api-call';
import { ApiError } from '../http/api-error';
import { NO_AUTH } from '../http/http-context';
import { AuthStore, SessionTokens, tokenClaims } from './auth-store';

/** Renew this long before the access token's `exp`. */
export const RENEW_BEFORE_SECONDS = 60;

interface RefreshResponse {
  access_token: string;
  refresh_token?: string | null;
  expires_in?: number;
}

function noAuth(): HttpContext {
  return new HttpContext().set(NO_AUTH, true);
}

/** Run `task` under a cross-tab lock where the browser offers one. */
async function withTabLock<T>(task: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (locks?.request) {
    return locks.request('mubayiro.admin.refresh', task);
  }
  return task();
}

@Service()
export class TokenRefresh {
  readonly #http = inject(HttpClient);
  readonly #auth = inject(AuthStore);
  #pending: Promise<string | null> | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;

  /** True when the session can be renewed (the server gave a refresh token). */
  canRefresh(): boolean {
    return this.#auth.refreshToken() !== null;
  }

  /**
   * A new access token, or null when the session cannot be renewed (then it has been ended).
   * Throws an `ApiError` when the auth service did not answer (the session is kept).
   */
  refresh(): Promise<string | null> {
    this.#pending ??= this.#renew().finally(() => (this.#pending = null));
    return this.#pending;
  }

  async #renew(): Promise<string | null> {
    const used = this.#auth.refreshToken();
    if (!used) {
      return null;
    }
    return withTabLock(async () => {
      const stored = this.#auth.stored();
      if (stored?.refreshToken && stored.refreshToken !== used) {
        // Another tab renewed while we waited for the lock: use its tokens.
        this.#auth.signIn(stored);
        return stored.accessToken;
      }
      try {
        const raw = await apiCall(
          this.#http.post<RefreshResponse>(
            '/auth/refresh',
            { refresh_token: used },
            { context: noAuth() },
          ),
        );
        const tokens: SessionTokens = {
          accessToken: raw.access_token,
          refreshToken: raw.refresh_token ?? null,
        };
        this.#auth.signIn(tokens);
        this.schedule();
        return tokens.accessToken;
      } catch (error) {
        if (error instanceof ApiError && (error.unavailable || error.status >= 500)) {
          throw error;
        }
        this.#auth.signOut();
        return null;
      }
    });
  }

  /**
   * Renew shortly before the current access token expires (and again after each renewal).
   * Does nothing without a refresh token or a readable `exp`.
   */
  schedule(now = Date.now()): void {
    this.cancel();
    const exp = tokenClaims(this.#auth.token()).exp;
    if (!this.canRefresh() || typeof exp !== 'number') {
      return;
    }
    const delay = Math.max(0, exp * 1000 - now - RENEW_BEFORE_SECONDS * 1000);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.refresh().catch(() => undefined); // no answer: the next call tries again
    }, delay);
  }

  /** Stop the renewal timer (signed out, or the shell closed). */
  cancel(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
  }

  /**
   * Sign out: revoke the refresh token on the server (best effort: an older auth service
   * without the route, or no network, must not keep anyone signed in), then forget the tokens.
   */
  async signOut(): Promise<void> {
    const refreshToken = this.#auth.refreshToken();
    const accessToken = this.#auth.token();
    this.cancel();
    this.#auth.signOut();
    if (refreshToken) {
      try {
        await apiCall(
          this.#http.post(
            '/auth/logout',
            { refresh_token: refreshToken },
            {
              context: noAuth(),
              headers: accessToken ? { Authorization: `Bearer ${accessToken}` } : {},
            },
          ),
        );
      } catch {
        // Revocation failed: the token is forgotten here and expires on the server.
      }
    }
  }
}
