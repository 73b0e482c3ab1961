import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { setUpService } from '../../../../testing/http';
import { settle } from '../../../../testing/dom';
import { summaryWire } from '../../../../testing/wire';
import { ReportsStore } from './reports-store';

const summary = (daily: { date: string; points_issued: number; points_redeemed: number }[]) =>
  summaryWire({ daily });

describe('ReportsStore', () => {
  let store: ReportsStore;
  let httpMock: HttpTestingController;

  beforeEach(() => {
    ({ service: store, httpMock } = setUpService(ReportsStore));
  });

  afterEach(() => httpMock.verify());

  it('opens on the last 30 days and says "no data yet" for a quiet period', async () => {
    const req = httpMock.expectOne((r) => r.url === '/reports/summary');
    expect(req.request.params.get('from')).toBe(store.from());
    expect(req.request.params.get('to')).toBe(store.to());
    req.flush(summary([{ date: '2026-12-01', points_issued: 0, points_redeemed: 0 }]));
    await settle();
    expect(store.quietPeriod()).toBe(true);
  });

  it('sends nothing for a range that ends before it starts, and says why', async () => {
    httpMock
      .expectOne((r) => r.url === '/reports/summary')
      .flush(summary([{ date: '2026-12-01', points_issued: 4, points_redeemed: 0 }]));
    await settle();
    expect(store.quietPeriod()).toBe(false);
    store.setFrom('2026-12-10');
    store.setTo('2026-12-01');
    TestBed.tick();
    httpMock.expectNone((r) => r.url === '/reports/summary');
    expect(store.rangeProblem()).toBe('“From” must be on or before “To”.');
    store.setTo('');
    expect(store.rangeProblem()).toBe('Choose both a “From” and a “To” date.');
    store.showLastDays(7);
    TestBed.tick();
    httpMock.expectOne((r) => r.url === '/reports/summary').flush(summary([]));
    await settle();
    expect(store.rangeProblem()).toBeNull();
  });
});
