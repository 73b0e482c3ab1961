import { useService } from '../../../../testing/http';
import { rewardWire } from '../../../../testing/wire';
import { RewardResponse, RewardsCatalog } from './rewards-catalog';

const RAW: RewardResponse = rewardWire(4, 'Free coffee', 100);

describe('RewardsCatalog', () => {
  const bed = useService(RewardsCatalog);

  it('lists the active rewards', async () => {
    const list = bed.service.list(3);
    const req = bed.httpMock.expectOne((r) => r.url === '/businesses/3/rewards');
    expect(req.request.params.has('include_inactive')).toBe(false);
    req.flush([RAW]);
    expect(await list).toEqual([
      { id: 4, name: 'Free coffee', description: '', pointsCost: 100, active: true },
    ]);
  });

  it('lists the whole catalog, inactive rewards included', async () => {
    const list = bed.service.list(3, { includeInactive: true });
    const req = bed.httpMock.expectOne((r) => r.url === '/businesses/3/rewards');
    expect(req.request.params.get('include_inactive')).toBe('true');
    req.flush([RAW, { ...RAW, id: 5, name: 'Old mug', active: false }]);
    expect((await list).map((r) => [r.name, r.active])).toEqual([
      ['Free coffee', true],
      ['Old mug', false],
    ]);
  });
});
