import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { RewardResponse, RewardsCatalog } from './rewards-catalog';

const RAW: RewardResponse = {
  id: 4,
  business_id: 3,
  name: 'Free coffee',
  description: '',
  points_cost: 100,
  active: true,
  created_at: '2026-11-01T10:00:00Z',
  updated_at: '2026-11-01T10:00:00Z',
};

describe('RewardsCatalog', () => {
  let catalog: RewardsCatalog;
  let httpMock: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    catalog = TestBed.inject(RewardsCatalog);
    httpMock = TestBed.inject(HttpTestingController);
  });

  afterEach(() => httpMock.verify());

  it('lists the active rewards', async () => {
    const list = catalog.list(3);
    const req = httpMock.expectOne((r) => r.url === '/businesses/3/rewards');
    expect(req.request.params.has('include_inactive')).toBe(false);
    req.flush([RAW]);
    expect(await list).toEqual([
      { id: 4, name: 'Free coffee', description: '', pointsCost: 100, active: true },
    ]);
  });

  it('lists the whole catalog, inactive rewards included', async () => {
    const list = catalog.list(3, { includeInactive: true });
    const req = httpMock.expectOne((r) => r.url === '/businesses/3/rewards');
    expect(req.request.params.get('include_inactive')).toBe('true');
    req.flush([RAW, { ...RAW, id: 5, name: 'Old mug', active: false }]);
    expect((await list).map((r) => [r.name, r.active])).toEqual([
      ['Free coffee', true],
      ['Old mug', false],
    ]);
  });
});
