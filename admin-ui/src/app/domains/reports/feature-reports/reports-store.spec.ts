import { TestBed } from '@angular/core/testing';

import { useService } from '../../../../testing/http';
import { settle } from '../../../../testing/dom';
import { dayWire, summaryWire } from '../../../../testing/wire';
import { ReportsStore } from './reports-store';

const summary = (daily: ReturnType<typeof dayWire>[]) => summaryWire({ daily });

describe('ReportsStore', () => {
  const bed = useService(ReportsStore);

  it('opens on the last 30 days and says "no data yet" for a quiet period', async () => {
    const req = bed.httpMock.expectOne((r) => r.url === '/reports/summary');
    expect(req.request.params.get('from')).toBe(bed.service.from());
    expect(req.request.params.get('to')).toBe(bed.service.to());
    req.flush(summary([dayWire('2026-12-01')]));
    await settle();
    expect(bed.service.quietPeriod()).toBe(true);
  });

  it('sends nothing for a range that ends before it starts, and says why', async () => {
    bed.httpMock
      .expectOne((r) => r.url === '/reports/summary')
      .flush(summary([dayWire('2026-12-01', { points_issued: 4 })]));
    await settle();
    expect(bed.service.quietPeriod()).toBe(false);
    bed.service.setFrom('2026-12-10');
    bed.service.setTo('2026-12-01');
    TestBed.tick();
    bed.httpMock.expectNone((r) => r.url === '/reports/summary');
    expect(bed.service.rangeProblem()).toBe('“From” must be on or before “To”.');
    bed.service.setTo('');
    expect(bed.service.rangeProblem()).toBe('Choose both a “From” and a “To” date.');
    bed.service.showLastDays(7);
    TestBed.tick();
    bed.httpMock.expectOne((r) => r.url === '/reports/summary').flush(summary([]));
    await settle();
    expect(bed.service.rangeProblem()).toBeNull();
  });
});
