import { HttpTestingController } from '@angular/common/http/testing';

import { setUpService } from '../../../testing/http';
import { OutboxProbe } from './outbox-probe';

describe('OutboxProbe', () => {
  let probe: OutboxProbe;
  let httpMock: HttpTestingController;

  beforeEach(() => {
    ({ service: probe, httpMock } = setUpService(OutboxProbe));
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
