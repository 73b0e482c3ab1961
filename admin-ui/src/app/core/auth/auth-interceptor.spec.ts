import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';

import { authInterceptor } from './auth-interceptor';
import { AuthStore } from './auth-store';

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

  it('signs out and returns to /login on a 401', async () => {
    auth.signIn('tok-123');
    const navigate = vi.spyOn(router, 'navigate').mockResolvedValue(true);
    const result = firstValueFrom(http.get('/businesses/1/transactions')).catch((e: unknown) => e);
    httpMock
      .expectOne('/businesses/1/transactions')
      .flush(
        { detail: 'Token expired', error: 'Unauthorized' },
        { status: 401, statusText: 'Unauthorized' },
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
});
