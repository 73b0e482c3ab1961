/**
 * Route guards: `authGuard` keeps signed-out visitors on the sign-in page (remembering where
 * they wanted to go); `guestGuard` makes the sign-in routes match only when signed out;
 * `ownerGuard` keeps a cashier on the till's pages (the server refuses the rest anyway with
 * 403 `OwnerOnly`; this only spares them pages they cannot use).
 */
import { inject } from '@angular/core';
import { CanActivateFn, CanMatchFn, Router } from '@angular/router';

import { AuthStore } from './auth-store';

/** Where a signed-in person starts, and the app's address `/admin/` itself. */
export const HOME_PATH = '/till';

export const authGuard: CanActivateFn = (_route, state) => {
  if (inject(AuthStore).signedIn()) {
    return true;
  }
  const url = state.url;
  const returnUrl = url && url !== '/' && url !== HOME_PATH ? url : undefined;
  return inject(Router).createUrlTree(['/login'], {
    queryParams: returnUrl ? { returnUrl } : {},
  });
};

/**
 * `canMatch` for the auth routes, which sit at the empty path: it must answer `false` (try the
 * next route, the shell) rather than redirect, or every URL of a signed-in owner would loop.
 */
export const guestGuard: CanMatchFn = () => !inject(AuthStore).signedIn();

/** Owner-only pages (rates, rewards, reports, staff…): a cashier goes to the till instead. */
export const ownerGuard: CanActivateFn = () =>
  inject(AuthStore).isOwner() ? true : inject(Router).createUrlTree([HOME_PATH]);
