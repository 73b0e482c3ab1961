/**
 * Request flags read by the interceptors.
 *
 * `QUIET` marks a request whose failure the caller handles in place (the dashboard's
 * reports card, the outbox probe), so a 0/502/503/504 does not raise the app-wide banner.
 */
import { HttpContext, HttpContextToken } from '@angular/common/http';

/** When true, the availability interceptor does not report this request's failure. */
export const QUIET = new HttpContextToken<boolean>(() => false);

/** An `HttpContext` with `QUIET` set, for `http.get(url, { context: quiet() })`. */
export function quiet(): HttpContext {
  return new HttpContext().set(QUIET, true);
}

/**
 * When true, the auth interceptor leaves the request alone: the token renewal and sign-out
 * calls carry their refresh token in the body and must never trigger a renewal themselves.
 */
export const NO_AUTH = new HttpContextToken<boolean>(() => false);

/** True for a same-origin API path (`/auth/...`), false for assets such as `config.json`. */
export function isApiUrl(url: string): boolean {
  return url.startsWith('/') && !url.startsWith('//');
}
