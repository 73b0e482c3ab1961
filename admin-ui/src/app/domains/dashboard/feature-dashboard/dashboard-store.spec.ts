import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { availabilityInterceptor } from '../../../core/http/availability-interceptor';
import { ErrorBanner } from '../../../core/http/error-banner';
import { businessSession, useService } from '../../../../testing/http';
import { settle } from '../../../../testing/dom';
import { summaryWire } from '../../../../testing/wire';
import { DEFAULT_PERIOD_DAYS } from '../../shared/util/dates';
import { DashboardStore, LATEST_TRANSACTIONS } from './dashboard-store';

const SUMMARY = summaryWire({
  total_points_issued: 1200,
  total_redemptions: { count: 4, points: 350 },
  customer_count: 31,
});

describe('DashboardStore', () => {
  const bed = useService(DashboardStore, {
    interceptors: [availabilityInterceptor],
    providers: [businessSession({ business: signal({ id: 3, name: 'Mbare' }) })],
  });

  async function answerAll(): Promise<void> {
    bed.httpMock
      .expectOne('/businesses/3')
      .flush({ id: 3, name: 'Mbare Bakery', loyalty_rate: '1.5000' });
    const latest = bed.httpMock.expectOne((r) => r.url === '/businesses/3/transactions');
    expect(latest.request.params.get('limit')).toBe(String(LATEST_TRANSACTIONS));
    latest.flush([]);
    const summary = bed.httpMock.expectOne((r) => r.url === '/reports/summary');
    const from = summary.request.params.get('from') ?? '';
    const to = summary.request.params.get('to') ?? '';
    expect((Date.parse(to) - Date.parse(from)) / 86_400_000).toBe(DEFAULT_PERIOD_DAYS - 1);
    summary.flush(SUMMARY);
    await settle();
  }

  it("names the page after the session's business until the program is loaded", async () => {
    expect(bed.service.businessName()).toBe('Mbare');
    await answerAll();
    expect(bed.service.businessName()).toBe('Mbare Bakery');
    expect(bed.service.summary.value()?.customerCount).toBe(31);
    expect(bed.service.transactions.value()).toEqual([]);
  });

  it('shows a saved loyalty rate without asking again', async () => {
    await answerAll();
    bed.service.programSaved({
      id: 3,
      name: 'Mbare Bakery',
      loyaltyRate: '2.0000',
      pointsExpireAfterDays: null,
    });
    expect(bed.service.program.value()?.loyaltyRate).toBe('2.0000');
    bed.httpMock.expectNone('/businesses/3');
  });

  it('reloads the figures and the latest transactions on refresh', async () => {
    await answerAll();
    bed.service.refresh();
    TestBed.tick();
    bed.httpMock.expectOne((r) => r.url === '/businesses/3/transactions').flush([]);
    bed.httpMock
      .expectOne((r) => r.url === '/reports/summary')
      .flush({ ...SUMMARY, total_points_issued: 1225 });
    await settle();
    expect(bed.service.summary.value()?.totalPointsIssued).toBe(1225);
  });

  it('keeps a reports outage off the app-wide banner', async () => {
    bed.httpMock.expectOne('/businesses/3').flush({ id: 3, name: 'Mbare', loyalty_rate: '1.0000' });
    bed.httpMock.expectOne((r) => r.url === '/businesses/3/transactions').flush([]);
    bed.httpMock
      .expectOne((r) => r.url === '/reports/summary')
      .flush(null, { status: 503, statusText: 'Service Unavailable' });
    await settle();
    expect(bed.service.summary.error()).toBeTruthy();
    expect(TestBed.inject(ErrorBanner).visible()).toBe(false);
  });
});
