import { useService } from '../../../../testing/http';
import { rewardWire } from '../../../../testing/wire';
import { RewardResponse } from '../../shared/data/rewards-catalog';
import { RewardsClient } from './rewards-client';

const RAW: RewardResponse = rewardWire(4, 'Free coffee', 100);

describe('RewardsClient', () => {
  const bed = useService(RewardsClient);

  it('creates a reward', async () => {
    const created = bed.service.create(3, {
      name: ' Free coffee ',
      description: '',
      pointsCost: 100,
      active: true,
    });
    const req = bed.httpMock.expectOne('/businesses/3/rewards');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({
      name: 'Free coffee',
      description: '',
      points_cost: 100,
      active: true,
    });
    req.flush(RAW, { status: 201, statusText: 'Created' });
    expect((await created).id).toBe(4);
  });

  it('edits and deactivates with PATCH', async () => {
    const edited = bed.service.update(3, 4, { pointsCost: 120 });
    const edit = bed.httpMock.expectOne('/businesses/3/rewards/4');
    expect(edit.request.method).toBe('PATCH');
    expect(edit.request.body).toEqual({ points_cost: 120 });
    edit.flush({ ...RAW, points_cost: 120 });
    expect((await edited).pointsCost).toBe(120);

    const deactivated = bed.service.setActive(3, 4, false);
    const patch = bed.httpMock.expectOne('/businesses/3/rewards/4');
    expect(patch.request.body).toEqual({ active: false });
    patch.flush({ ...RAW, active: false });
    expect((await deactivated).active).toBe(false);
  });
});
