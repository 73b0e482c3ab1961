import { HttpTestingController } from '@angular/common/http/testing';

import { businessSession, flushError, setUpService } from '../../../../testing/http';
import { settle } from '../../../../testing/dom';
import { rewardWire } from '../../../../testing/wire';
import { RewardResponse } from '../../shared/data/rewards-catalog';
import { RewardsStore } from './rewards-store';

const raw = (id: number, name: string, cost: number, active = true): RewardResponse =>
  rewardWire(id, name, cost, active);

describe('RewardsStore', () => {
  let store: RewardsStore;
  let httpMock: HttpTestingController;

  beforeEach(async () => {
    ({ service: store, httpMock } = setUpService(RewardsStore, { providers: [businessSession()] }));
    const list = httpMock.expectOne((r) => r.url === '/businesses/3/rewards');
    expect(list.request.params.get('include_inactive')).toBe('true');
    list.flush([raw(1, 'Mug', 300), raw(2, 'Old pen', 50, false), raw(3, 'Coffee', 100)]);
    await settle();
  });

  afterEach(() => httpMock.verify());

  it('lists active rewards first, then by cost', () => {
    expect(store.sorted().map((r) => r.name)).toEqual(['Coffee', 'Mug', 'Old pen']);
  });

  it('opens one form at a time and shows a saved reward in place', () => {
    store.startCreating();
    expect(store.creating()).toBe(true);
    store.rewardSaved({ id: 4, name: 'Cake', description: '', pointsCost: 200, active: true });
    expect(store.creating()).toBe(false);
    expect(store.sorted().map((r) => r.name)).toEqual(['Coffee', 'Cake', 'Mug', 'Old pen']);

    store.startEditing(1);
    expect(store.editingId()).toBe(1);
    store.rewardSaved({ id: 1, name: 'Mug', description: '', pointsCost: 20, active: true });
    expect(store.editingId()).toBeNull();
    expect(store.sorted().map((r) => [r.name, r.pointsCost])[0]).toEqual(['Mug', 20]);
  });

  it('deactivates a reward and keeps it listed, last', async () => {
    const coffee = store.sorted()[0];
    const done = store.setActive(coffee, false);
    expect(store.busyId()).toBe(3);
    const patch = httpMock.expectOne('/businesses/3/rewards/3');
    expect(patch.request.body).toEqual({ active: false });
    patch.flush(raw(3, 'Coffee', 100, false));
    await done;
    expect(store.busyId()).toBeNull();
    expect(store.sorted().map((r) => [r.name, r.active])).toEqual([
      ['Mug', true],
      ['Old pen', false],
      ['Coffee', false],
    ]);
  });

  it('keeps a refusal to show and clears it on the next attempt', async () => {
    const done = store.setActive(store.sorted()[0], false);
    flushError(
      httpMock.expectOne('/businesses/3/rewards/3'),
      404,
      'RewardNotFound',
      'Reward not found.',
    );
    await done;
    expect(store.problem()).toBe('This reward no longer exists.');
    expect(store.sorted()[0].active).toBe(true);

    store.startCreating();
    expect(store.problem()).toBeNull();
  });
});
