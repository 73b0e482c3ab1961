import { TestBed } from '@angular/core/testing';

import { AuthStore, REFRESH_STORAGE_KEY, TOKEN_STORAGE_KEY, tokenExpired } from './auth-store';
import { fakeJwt } from '../../../testing/tokens';

describe('AuthStore', () => {
  beforeEach(() => localStorage.clear());

  it('keeps the token in localStorage and forgets it on sign-out', () => {
    const store = TestBed.inject(AuthStore);
    store.signIn('abc');
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBe('abc');
    expect(store.signedIn()).toBe(true);
    store.signOut();
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(store.token()).toBeNull();
  });

  it('starts signed in from a stored, unexpired token', () => {
    const token = fakeJwt({ exp: Date.now() / 1000 + 3600 });
    localStorage.setItem(TOKEN_STORAGE_KEY, token);
    expect(TestBed.inject(AuthStore).token()).toBe(token);
  });

  it('drops a stored token that has expired', () => {
    localStorage.setItem(TOKEN_STORAGE_KEY, fakeJwt({ exp: 1000 }));
    expect(TestBed.inject(AuthStore).signedIn()).toBe(false);
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it('treats an unreadable token as not expired (the server decides)', () => {
    expect(tokenExpired('not-a-jwt')).toBe(false);
  });

  it('keeps an expired token that a refresh token can renew', () => {
    localStorage.setItem(TOKEN_STORAGE_KEY, fakeJwt({ exp: 1000 }));
    localStorage.setItem(REFRESH_STORAGE_KEY, 'refresh-1');
    const store = TestBed.inject(AuthStore);
    expect(store.signedIn()).toBe(true);
    expect(store.refreshToken()).toBe('refresh-1');
  });

  it('keeps the refresh token with the access token and forgets both on sign-out', () => {
    const store = TestBed.inject(AuthStore);
    store.signIn({ accessToken: 'a-1', refreshToken: 'r-1' });
    expect(localStorage.getItem(REFRESH_STORAGE_KEY)).toBe('r-1');
    store.signIn('a-2'); // a login answer without a refresh token: none is kept
    expect(localStorage.getItem(REFRESH_STORAGE_KEY)).toBeNull();
    store.signIn({ accessToken: 'a-3', refreshToken: 'r-3' });
    store.signOut();
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(localStorage.getItem(REFRESH_STORAGE_KEY)).toBeNull();
  });

  it('reads the role from the token: a cashier, else an owner', () => {
    const store = TestBed.inject(AuthStore);
    store.signIn(fakeJwt({ role: 'business', business_id: 3 }));
    expect(store.role()).toBe('owner');
    store.signIn(fakeJwt({ role: 'cashier', business_id: 3, staff_id: 7 }));
    expect(store.role()).toBe('cashier');
    expect(store.isOwner()).toBe(false);
    store.signIn(fakeJwt({ role: 'owner', business_id: 3, staff_id: 1 }));
    expect(store.isOwner()).toBe(true);
  });

  it('follows a renewal or sign-out made in another tab', () => {
    const store = TestBed.inject(AuthStore);
    store.signIn({ accessToken: 'a-1', refreshToken: 'r-1' });
    localStorage.setItem(TOKEN_STORAGE_KEY, 'a-2');
    localStorage.setItem(REFRESH_STORAGE_KEY, 'r-2');
    window.dispatchEvent(new StorageEvent('storage', { key: REFRESH_STORAGE_KEY }));
    expect(store.token()).toBe('a-2');
    expect(store.refreshToken()).toBe('r-2');
    localStorage.clear();
    window.dispatchEvent(new StorageEvent('storage', { key: TOKEN_STORAGE_KEY }));
    expect(store.signedIn()).toBe(false);
  });
});
