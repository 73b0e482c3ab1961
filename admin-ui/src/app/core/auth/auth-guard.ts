/**
 * Route guards: `authGuard` keeps signed-out visitors on the sign-in page (remembering where
 * they wanted to go); `guestGuard` makes the sign-in routes match only when signed out.
 */
import { inject } from '@angular/core';
import { CanActivateFn, CanMatchFn, Router } from '@angular/router';

import { AuthStore } from './auth-store';

export const authGuard: CanActivateFn = (_route, state) => {
  if (inject(AuthStore).signedIn()) {
    return true;
  }
  const returnUrl = state.url && state.url !== '/' ? state.url : undefined;
  return inject(Router).createUrlTree(['/login'], {
    queryParams: returnUrl ? { returnUrl } : {},
  });
};

/**
 * `canMatch` for the auth routes, which sit at the empty path: it must answer `false` (try the
 * next route, the shell) rather than redirect, or every URL of a signed-in owner would loop.
 */
export const guestGuard: CanMatchFn = () => !inject(AuthStore).signedIn();
