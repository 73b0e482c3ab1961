/**
 * Adds `Authorization: Bearer <token>` to API calls and ends the session when the API
 * answers 401 to a call that carried the token (expired, revoked, or signed by an old key):
 * the token is dropped and the owner lands on the sign-in page, which says why.
 *
 * A 401 to a call made without a token (a wrong password at sign-in) is left to the caller.
 */
import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';

import { isApiUrl } from '../http/http-context';
import { AuthStore } from './auth-store';

export const authInterceptor: HttpInterceptorFn = (req, next) => {
  const auth = inject(AuthStore);
  const router = inject(Router);
  const token = auth.token();
  if (!token || !isApiUrl(req.url)) {
    return next(req);
  }
  const authorised = req.clone({ setHeaders: { Authorization: `Bearer ${token}` } });
  return next(authorised).pipe(
    catchError((error: unknown) => {
      if (error instanceof HttpErrorResponse && error.status === 401 && auth.token() === token) {
        auth.signOut();
        const current = router.url;
        const returnUrl =
          current && current !== '/' && !current.startsWith('/login') ? current : undefined;
        void router.navigate(['/login'], {
          queryParams: { expired: 1, ...(returnUrl ? { returnUrl } : {}) },
        });
      }
      return throwError(() => error);
    }),
  );
};
