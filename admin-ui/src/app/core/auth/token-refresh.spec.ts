import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { flushError } from '../../../testing/http';
import { AuthStore, REFRESH_STORAGE_KEY, TOKEN_STORAGE_KEY } from './auth-store';
import { RENEW_BEFORE_SECONDS, TokenRefresh } from './token-refresh';
import { fakeJwt } from '../../../testing/tokens';

describe('TokenRefresh', () => {
  let refresher: TokenRefresh;
  let auth: AuthStore;
  let httpMock: HttpTestingController;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    refresher = TestBed.inject(TokenRefresh);
    auth = TestBed.inject(AuthStore);
    httpMock = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    refresher.cancel();
    vi.useRealTimers();
    httpMock.verify();
  });

  it('cannot renew a session that has no refresh token (an older auth service)', async () => {
    auth.signIn('access-only');
    expect(refresher.canRefresh()).toBe(false);
    expect(await refresher.refresh()).toBeNull();
    httpMock.expectNone('/auth/refresh');
  });

  it('shares one renewal between callers and keeps the rotated pair', async () => {
    auth.signIn({ accessToken: 'a-1', refreshToken: 'r-1' });
    const first = refresher.refresh();
    const second = refresher.refresh();
    await Promise.resolve();
    httpMock
      .expectOne('/auth/refresh')
      .flush({ access_token: 'a-2', refresh_token: 'r-2', expires_in: 900 });
    expect(await first).toBe('a-2');
    expect(await second).toBe('a-2');
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBe('a-2');
    expect(localStorage.getItem(REFRESH_STORAGE_KEY)).toBe('r-2');
  });

  it("adopts another tab's renewal instead of spending the old refresh token again", async () => {
    auth.signIn({ accessToken: 'a-1', refreshToken: 'r-1' });
    // Another tab rotated the pair; this tab has not seen the storage event yet.
    localStorage.setItem(TOKEN_STORAGE_KEY, 'a-other');
    localStorage.setItem(REFRESH_STORAGE_KEY, 'r-other');
    expect(await refresher.refresh()).toBe('a-other');
    httpMock.expectNone('/auth/refresh');
    expect(auth.refreshToken()).toBe('r-other');
  });

  it('signs out when the server refuses the refresh token', async () => {
    auth.signIn({ accessToken: 'a-1', refreshToken: 'reused' });
    const result = refresher.refresh();
    await Promise.resolve();
    flushError(httpMock.expectOne('/auth/refresh'), 401, 'InvalidRefreshToken', 'Reused');
    expect(await result).toBeNull();
    expect(auth.signedIn()).toBe(false);
  });

  it('renews a minute before the access token expires', async () => {
    vi.useFakeTimers();
    const now = Date.now();
    auth.signIn({ accessToken: fakeJwt({ exp: now / 1000 + 300 }), refreshToken: 'r-1' });
    refresher.schedule(now);
    vi.advanceTimersByTime((300 - RENEW_BEFORE_SECONDS) * 1000 - 1000);
    httpMock.expectNone('/auth/refresh');
    vi.advanceTimersByTime(1000);
    await Promise.resolve();
    httpMock
      .expectOne('/auth/refresh')
      .flush({ access_token: 'a-2', refresh_token: 'r-2', expires_in: 900 });
  });

  it('revokes the refresh token on sign-out and forgets both tokens', async () => {
    auth.signIn({ accessToken: 'a-1', refreshToken: 'r-1' });
    const done = refresher.signOut();
    expect(auth.signedIn()).toBe(false);
    const req = httpMock.expectOne('/auth/logout');
    expect(req.request.body).toEqual({ refresh_token: 'r-1' });
    req.flush(null, { status: 404, statusText: 'Not Found' }); // an older auth service
    await done;
    expect(localStorage.getItem(REFRESH_STORAGE_KEY)).toBeNull();
  });
});
