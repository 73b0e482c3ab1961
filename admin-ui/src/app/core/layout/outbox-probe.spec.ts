import { useService } from '../../../testing/http';
import { OutboxProbe } from './outbox-probe';

describe('OutboxProbe', () => {
  const bed = useService(OutboxProbe);

  it('is available when the route answers and not when it is 404', async () => {
    const yes = bed.service.available();
    bed.httpMock.expectOne((r) => r.url === '/notifications/outbox').flush([]);
    expect(await yes).toBe(true);

    const no = bed.service.available();
    bed.httpMock
      .expectOne((r) => r.url === '/notifications/outbox')
      .flush({ detail: 'Not Found' }, { status: 404, statusText: 'Not Found' });
    expect(await no).toBe(false);
  });
});
