import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { Session } from '../../../core/auth/session';
import { settle } from '../../../../testing/dom';
import { RewardResponse } from '../../shared/data/rewards-catalog';
import { RewardsStore } from './rewards-store';

function raw(id: number, name: string, pointsCost: number, active = true): RewardResponse {
  return {
    id,
    business_id: 3,
    name,
    description: '',
    points_cost: pointsCost,
    active,
    created_at: '2026-11-01T10:00:00Z',
    updated_at: '2026-11-01T10:00:00Z',
  };
}

describe('RewardsStore', () => {
  let store: RewardsStore;
  let httpMock: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: Session, useValue: { businessId: signal(3) } },
        RewardsStore,
      ],
    });
    httpMock = TestBed.inject(HttpTestingController);
    store = TestBed.inject(RewardsStore);
    TestBed.tick();
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
    httpMock
      .expectOne('/businesses/3/rewards/3')
      .flush(
        { detail: 'Reward not found.', error: 'RewardNotFound' },
        { status: 404, statusText: 'Not Found' },
      );
    await done;
    expect(store.problem()).toBe('This reward no longer exists.');
    expect(store.sorted()[0].active).toBe(true);

    store.startCreating();
    expect(store.problem()).toBeNull();
  });
});
