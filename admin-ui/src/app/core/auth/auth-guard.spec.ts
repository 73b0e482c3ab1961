import { TestBed } from '@angular/core/testing';
import {
  ActivatedRouteSnapshot,
  Route,
  Router,
  RouterStateSnapshot,
  UrlTree,
  provideRouter,
} from '@angular/router';

import { authGuard, guestGuard, ownerGuard } from './auth-guard';
import { AuthStore } from './auth-store';
import { fakeJwt } from '../../../testing/tokens';

function runAuthGuard(url: string) {
  return TestBed.runInInjectionContext(() =>
    authGuard({} as ActivatedRouteSnapshot, { url } as RouterStateSnapshot),
  );
}

describe('authGuard', () => {
  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
  });

  it('sends a signed-out visitor to /login with the page they wanted', () => {
    const result = runAuthGuard('/customers?phone=0771234567');
    expect(result).toBeInstanceOf(UrlTree);
    expect(TestBed.inject(Router).serializeUrl(result as UrlTree)).toBe(
      '/login?returnUrl=%2Fcustomers%3Fphone%3D0771234567',
    );
  });

  it('sends the app address (/admin/ → /till) to sign-in without a return address', () => {
    const result = runAuthGuard('/till');
    expect(TestBed.inject(Router).serializeUrl(result as UrlTree)).toBe('/login');
  });

  it('lets a signed-in owner through', () => {
    TestBed.inject(AuthStore).signIn('token');
    expect(runAuthGuard('/dashboard')).toBe(true);
  });
});

describe('guestGuard', () => {
  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
  });

  it('matches the sign-in pages only when signed out', () => {
    const run = () =>
      TestBed.runInInjectionContext(() =>
        guestGuard({} as Route, [], {} as Parameters<typeof guestGuard>[2]),
      );
    expect(run()).toBe(true);
    TestBed.inject(AuthStore).signIn('token');
    expect(run()).toBe(false);
  });
});

describe('ownerGuard', () => {
  const run = () =>
    TestBed.runInInjectionContext(() =>
      ownerGuard({} as ActivatedRouteSnapshot, { url: '/reports' } as RouterStateSnapshot),
    );

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
  });

  it('lets an owner through and sends a cashier to the till', () => {
    TestBed.inject(AuthStore).signIn(fakeJwt({ role: 'business', business_id: 3 }));
    expect(run()).toBe(true);
    TestBed.inject(AuthStore).signIn(fakeJwt({ role: 'cashier', business_id: 3, staff_id: 9 }));
    expect(TestBed.inject(Router).serializeUrl(run() as UrlTree)).toBe('/till');
  });
});
