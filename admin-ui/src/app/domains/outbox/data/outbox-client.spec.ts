import { useService } from '../../../../testing/http';
import { OutboxClient } from './outbox-client';

describe('OutboxClient', () => {
  const bed = useService(OutboxClient);

  it('lists messages newest first, filtered by recipient', async () => {
    const list = bed.service.list({ to: '+263771234567' });
    const req = bed.httpMock.expectOne((r) => r.url === '/notifications/outbox');
    expect(req.request.params.get('to')).toBe('+263771234567');
    req.flush([
      {
        id: 1,
        to: '+263771234567',
        body: 'old',
        status: 'sent',
        created_at: '2026-11-01T10:00:00Z',
      },
      {
        id: 2,
        to: '+263771234567',
        body: 'new',
        status: 'sent',
        created_at: '2026-11-02T10:00:00Z',
      },
    ]);
    expect((await list).map((m) => m.body)).toEqual(['new', 'old']);
  });
});
