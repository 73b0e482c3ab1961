import { TestBed } from '@angular/core/testing';

import { AuthStore, TOKEN_STORAGE_KEY, tokenExpired } from './auth-store';

function jwt(payload: object): string {
  const encode = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '');
  return `${encode({ alg: 'RS256' })}.${encode(payload)}.sig`;
}

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
    const token = jwt({ exp: Date.now() / 1000 + 3600 });
    localStorage.setItem(TOKEN_STORAGE_KEY, token);
    expect(TestBed.inject(AuthStore).token()).toBe(token);
  });

  it('drops a stored token that has expired', () => {
    localStorage.setItem(TOKEN_STORAGE_KEY, jwt({ exp: 1000 }));
    expect(TestBed.inject(AuthStore).signedIn()).toBe(false);
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it('treats an unreadable token as not expired (the server decides)', () => {
    expect(tokenExpired('not-a-jwt')).toBe(false);
  });
});
