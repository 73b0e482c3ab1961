import { HttpClient } from '@angular/common/http';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';

import { setUpHttp } from '../../../testing/http';
import { availabilityInterceptor } from './availability-interceptor';
import { ErrorBanner } from './error-banner';
import { quiet } from './http-context';

describe('availabilityInterceptor', () => {
  let http: HttpClient;
  let httpMock: HttpTestingController;
  let banner: ErrorBanner;

  beforeEach(() => {
    httpMock = setUpHttp({ interceptors: [availabilityInterceptor] });
    http = TestBed.inject(HttpClient);
    banner = TestBed.inject(ErrorBanner);
  });

  it('raises the banner naming the service that is down, and clears it when it answers', async () => {
    const failed = firstValueFrom(http.get('/referrals')).catch(() => null);
    httpMock
      .expectOne('/referrals')
      .flush('Bad gateway', { status: 502, statusText: 'Bad Gateway' });
    await failed;
    expect(banner.notices()).toEqual([
      {
        service: 'Referrals',
        message: 'Referrals is unavailable right now (502). Try again in a moment.',
      },
    ]);

    const ok = firstValueFrom(http.get('/referrals'));
    httpMock.expectOne('/referrals').flush([]);
    await ok;
    expect(banner.visible()).toBe(false);
  });

  it('reports an unreachable gateway once for every service', async () => {
    const failed = firstValueFrom(http.get('/businesses/1')).catch(() => null);
    httpMock.expectOne('/businesses/1').error(new ProgressEvent('error'), { status: 0 });
    await failed;
    expect(banner.notices()[0].message).toMatch(/Can't reach the server/);
  });

  it('stays quiet for requests that handle their own failure, and for client errors', async () => {
    const a = firstValueFrom(http.get('/reports/summary', { context: quiet() })).catch(() => null);
    httpMock.expectOne('/reports/summary').flush('', { status: 502, statusText: 'Bad Gateway' });
    const b = firstValueFrom(http.get('/businesses/9')).catch(() => null);
    httpMock
      .expectOne('/businesses/9')
      .flush({ detail: 'Unknown' }, { status: 404, statusText: 'Not Found' });
    await Promise.all([a, b]);
    expect(banner.visible()).toBe(false);
  });
});
