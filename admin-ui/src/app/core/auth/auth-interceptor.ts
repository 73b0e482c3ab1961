/**
 * Adds `Authorization: Bearer <token>` to API calls and keeps the session alive around them:
 *
 * - an access token about to expire is renewed before the call is sent (a tab that slept
 *   through its renewal timer);
 * - a 401 to a call that carried a token renews the session once and sends the same request
 *   again, so the page (and the sale being typed) never notices;
 * - when the session cannot be renewed (no refresh token, or the server refused it) the tokens
 *   are dropped and the person lands on the sign-in page, which says why and returns them to
 *   the page they were on.
 *
 * A 401 to a call made without a token (a wrong password at sign-in) is left to the caller,
 * and calls marked `NO_AUTH` (the renewal itself, sign-out) pass untouched.
 */
import { HttpErrorResponse, HttpEvent, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { Observable, catchError, from, switchMap, throwError } from 'rxjs';

import { NO_AUTH, isApiUrl } from '../http/http-context';
import { AuthStore, tokenExpired } from './auth-store';
import { TokenRefresh } from './token-refresh';

/** Renew before sending when the access token has less than this left. */
const EXPIRY_MARGIN_SECONDS = 20;

function isUnauthorised(error: unknown): boolean {
  return error instanceof HttpErrorResponse && error.status === 401;
}

export const authInterceptor: HttpInterceptorFn = (req, next) => {
  const auth = inject(AuthStore);
  const refresher = inject(TokenRefresh);
  const router = inject(Router);
  if (!auth.token() || !isApiUrl(req.url) || req.context.get(NO_AUTH)) {
    return next(req);
  }

  const endSession = (): void => {
    auth.signOut();
    refresher.cancel();
    const current = router.url;
    const returnUrl =
      current && current !== '/' && !current.startsWith('/login') ? current : undefined;
    void router.navigate(['/login'], {
      queryParams: { expired: 1, ...(returnUrl ? { returnUrl } : {}) },
    });
  };

  const send = (token: string): Observable<HttpEvent<unknown>> =>
    next(req.clone({ setHeaders: { Authorization: `Bearer ${token}` } }));

  /** Renew, then send again; a refused renewal ends the session with the original 401. */
  const renewAndRetry = (original: unknown): Observable<HttpEvent<unknown>> =>
    from(refresher.refresh()).pipe(
      switchMap((fresh) => {
        if (!fresh) {
          endSession();
          return throwError(() => original);
        }
        return send(fresh).pipe(
          catchError((error: unknown) => {
            if (isUnauthorised(error) && auth.token() === fresh) {
              endSession(); // a brand-new token refused: nothing more to try
            }
            return throwError(() => error);
          }),
        );
      }),
    );

  const sendWith = (token: string): Observable<HttpEvent<unknown>> =>
    send(token).pipe(
      catchError((error: unknown) => {
        if (!isUnauthorised(error)) {
          return throwError(() => error);
        }
        const current = auth.token();
        if (current && current !== token) {
          return send(current); // renewed meanwhile by another call: use the new token
        }
        if (!current) {
          return throwError(() => error); // signed out meanwhile
        }
        if (!refresher.canRefresh()) {
          endSession();
          return throwError(() => error);
        }
        return renewAndRetry(error);
      }),
    );

  const token = auth.token() as string;
  if (refresher.canRefresh() && tokenExpired(token, Date.now() / 1000, EXPIRY_MARGIN_SECONDS)) {
    return from(refresher.refresh()).pipe(
      switchMap((fresh) => {
        if (!fresh) {
          endSession();
          return throwError(
            () => new HttpErrorResponse({ status: 401, statusText: 'Unauthorized', url: req.url }),
          );
        }
        return sendWith(fresh);
      }),
    );
  }
  return sendWith(token);
};
