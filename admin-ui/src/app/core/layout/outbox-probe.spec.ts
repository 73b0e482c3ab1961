import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { OutboxProbe } from './outbox-probe';

describe('OutboxProbe', () => {
  let probe: OutboxProbe;
  let httpMock: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    probe = TestBed.inject(OutboxProbe);
    httpMock = TestBed.inject(HttpTestingController);
  });

  afterEach(() => httpMock.verify());

  it('is available when the route answers and not when it is 404', async () => {
    const yes = probe.available();
    httpMock.expectOne((r) => r.url === '/notifications/outbox').flush([]);
    expect(await yes).toBe(true);

    const no = probe.available();
    httpMock
      .expectOne((r) => r.url === '/notifications/outbox')
      .flush({ detail: 'Not Found' }, { status: 404, statusText: 'Not Found' });
    expect(await no).toBe(false);
  });
});
