import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { flushError } from '../../../testing/http';

import { authInterceptor } from './auth-interceptor';
import { AuthStore } from './auth-store';
import { fakeJwt } from '../../../testing/tokens';

describe('authInterceptor', () => {
  let http: HttpClient;
  let httpMock: HttpTestingController;
  let auth: AuthStore;
  let router: Router;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpClient);
    httpMock = TestBed.inject(HttpTestingController);
    auth = TestBed.inject(AuthStore);
    router = TestBed.inject(Router);
  });

  afterEach(() => httpMock.verify());

  it('adds the bearer token to API calls', () => {
    auth.signIn('tok-123');
    void firstValueFrom(http.get('/businesses/1'));
    const req = httpMock.expectOne('/businesses/1');
    expect(req.request.headers.get('Authorization')).toBe('Bearer tok-123');
    req.flush({});
  });

  it('sends no token when signed out, nor to non-API URLs', () => {
    void firstValueFrom(http.post('/auth/login_business', {}));
    expect(httpMock.expectOne('/auth/login_business').request.headers.has('Authorization')).toBe(
      false,
    );
    auth.signIn('tok-123');
    void firstValueFrom(http.get('config.json'));
    expect(httpMock.expectOne('config.json').request.headers.has('Authorization')).toBe(false);
  });

  it('signs out and returns to /login on a 401 when the session cannot be renewed', async () => {
    auth.signIn('tok-123');
    const navigate = vi.spyOn(router, 'navigate').mockResolvedValue(true);
    const result = firstValueFrom(http.get('/businesses/1/transactions')).catch((e: unknown) => e);
    flushError(
      httpMock.expectOne('/businesses/1/transactions'),
      401,
      'Unauthorized',
      'Token expired',
    );
    const error = (await result) as { status: number };
    expect(error.status).toBe(401);
    expect(auth.signedIn()).toBe(false);
    expect(navigate).toHaveBeenCalledWith(['/login'], { queryParams: { expired: 1 } });
  });

  it('leaves a 401 to a call made without a token (wrong password) to the caller', async () => {
    const navigate = vi.spyOn(router, 'navigate');
    const result = firstValueFrom(http.post('/auth/login_business', {})).catch((e: unknown) => e);
    httpMock
      .expectOne('/auth/login_business')
      .flush({ detail: 'Wrong' }, { status: 401, statusText: 'Unauthorized' });
    await result;
    expect(navigate).not.toHaveBeenCalled();
  });

  it('keeps the session on other errors', async () => {
    auth.signIn('tok-123');
    const result = firstValueFrom(http.get('/businesses/2')).catch((e: unknown) => e);
    httpMock
      .expectOne('/businesses/2')
      .flush({ detail: 'Not yours' }, { status: 403, statusText: 'Forbidden' });
    await result;
    expect(auth.signedIn()).toBe(true);
  });

  it('renews the session on a 401 and sends the same request once more', async () => {
    auth.signIn({ accessToken: 'old', refreshToken: 'r-1' });
    const result = firstValueFrom(
      http.post<{ ok: boolean }>('/transactions/add_points', { amount_spent: '12.50' }),
    );
    const first = httpMock.expectOne('/transactions/add_points');
    expect(first.request.headers.get('Authorization')).toBe('Bearer old');
    first.flush({ detail: 'Token expired' }, { status: 401, statusText: 'Unauthorized' });
    await Promise.resolve();
    const renewal = httpMock.expectOne('/auth/refresh');
    expect(renewal.request.body).toEqual({ refresh_token: 'r-1' });
    expect(renewal.request.headers.has('Authorization')).toBe(false);
    renewal.flush({ access_token: 'new', refresh_token: 'r-2', expires_in: 900 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    const retry = httpMock.expectOne('/transactions/add_points');
    expect(retry.request.headers.get('Authorization')).toBe('Bearer new');
    expect(retry.request.body).toEqual({ amount_spent: '12.50' });
    retry.flush({ ok: true });
    expect(await result).toEqual({ ok: true });
    expect(auth.refreshToken()).toBe('r-2');
  });

  it('ends the session when the renewal is refused, with the original 401', async () => {
    auth.signIn({ accessToken: 'old', refreshToken: 'revoked' });
    const navigate = vi.spyOn(router, 'navigate').mockResolvedValue(true);
    const result = firstValueFrom(http.get('/businesses/1')).catch((e: unknown) => e);
    httpMock.expectOne('/businesses/1').flush({}, { status: 401, statusText: 'Unauthorized' });
    await Promise.resolve();
    httpMock
      .expectOne('/auth/refresh')
      .flush({ detail: 'Revoked' }, { status: 401, statusText: 'Unauthorized' });
    const error = (await result) as { status: number };
    expect(error.status).toBe(401);
    expect(auth.signedIn()).toBe(false);
    expect(navigate).toHaveBeenCalledWith(['/login'], { queryParams: { expired: 1 } });
  });

  it('keeps the session when the renewal gets no answer', async () => {
    auth.signIn({ accessToken: 'old', refreshToken: 'r-1' });
    const result = firstValueFrom(http.get('/businesses/1')).catch((e: unknown) => e);
    httpMock.expectOne('/businesses/1').flush({}, { status: 401, statusText: 'Unauthorized' });
    await Promise.resolve();
    httpMock.expectOne('/auth/refresh').flush(null, { status: 503, statusText: 'Unavailable' });
    const error = (await result) as { status: number };
    expect(error.status).toBe(503);
    expect(auth.signedIn()).toBe(true);
    expect(auth.refreshToken()).toBe('r-1');
  });

  it('renews an access token about to expire before sending', async () => {
    auth.signIn({ accessToken: fakeJwt({ exp: Date.now() / 1000 + 5 }), refreshToken: 'r-1' });
    const result = firstValueFrom(http.get('/businesses/1'));
    httpMock.expectNone('/businesses/1');
    httpMock
      .expectOne('/auth/refresh')
      .flush({ access_token: 'fresh', refresh_token: 'r-2', expires_in: 900 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    const req = httpMock.expectOne('/businesses/1');
    expect(req.request.headers.get('Authorization')).toBe('Bearer fresh');
    req.flush({ id: 1 });
    expect(await result).toEqual({ id: 1 });
  });

  it('renews once for several calls refused together', async () => {
    auth.signIn({ accessToken: 'old', refreshToken: 'r-1' });
    const a = firstValueFrom(http.get('/businesses/1'));
    const b = firstValueFrom(http.get('/businesses/1/rewards'));
    httpMock.expectOne('/businesses/1').flush({}, { status: 401, statusText: 'Unauthorized' });
    httpMock
      .expectOne('/businesses/1/rewards')
      .flush({}, { status: 401, statusText: 'Unauthorized' });
    await Promise.resolve();
    httpMock
      .expectOne('/auth/refresh')
      .flush({ access_token: 'new', refresh_token: 'r-2', expires_in: 900 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    httpMock.expectOne('/businesses/1').flush({ id: 1 });
    httpMock.expectOne('/businesses/1/rewards').flush([]);
    expect(await a).toEqual({ id: 1 });
    expect(await b).toEqual([]);
  });
});
