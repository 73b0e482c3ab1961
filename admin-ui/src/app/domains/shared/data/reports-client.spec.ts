import { TestBed } from '@angular/core/testing';

import { useService } from '../../../../testing/http';
import { dayWire, summaryWire } from '../../../../testing/wire';
import { availabilityInterceptor } from '../../../core/http/availability-interceptor';
import { ErrorBanner } from '../../../core/http/error-banner';
import { ReportsClient } from './reports-client';

describe('ReportsClient', () => {
  const bed = useService(ReportsClient, { interceptors: [availabilityInterceptor] });

  it('asks for the summary of a date range and the top 5, and maps it', async () => {
    const summary = bed.service.summary({ from: '2026-11-01', to: '2026-11-02' });
    const req = bed.httpMock.expectOne((r) => r.url === '/reports/summary');
    expect(req.request.params.get('from')).toBe('2026-11-01');
    expect(req.request.params.get('to')).toBe('2026-11-02');
    expect(req.request.params.get('limit')).toBe('5');
    req.flush({
      business_id: 3,
      from: '2026-11-01',
      to: '2026-11-02',
      total_points_issued: 1200,
      total_redemptions: { count: 4, points: 350 },
      total_reversals: { count: 2, points_reversed: 40, shortfall: 15, points_given_back: 30 },
      total_points_expired: 20,
      total_points_imported: 500,
      net_points: 1320,
      customer_count: 31,
      top_customers: [{ phone_number: '+263771234567', points_earned: 300, transaction_count: 6 }],
      daily: [
        dayWire('2026-11-01', { points_issued: 40, points_imported: 500 }),
        dayWire('2026-11-02', {
          points_issued: 10,
          points_redeemed: 5,
          points_reversed: 40,
          points_given_back: 30,
          points_expired: 20,
        }),
      ],
    });
    expect(await summary).toEqual({
      totalPointsIssued: 1200,
      redemptionsCount: 4,
      redemptionsPoints: 350,
      reversals: { count: 2, pointsReversed: 40, shortfall: 15, pointsGivenBack: 30 },
      pointsExpired: 20,
      pointsImported: 500,
      netPoints: 1320,
      customerCount: 31,
      topCustomers: [{ phoneNumber: '+263771234567', pointsEarned: 300, transactionCount: 6 }],
      daily: [
        {
          date: '2026-11-01',
          pointsIssued: 40,
          pointsRedeemed: 0,
          pointsReversed: 0,
          pointsGivenBack: 0,
          pointsExpired: 0,
          pointsImported: 500,
        },
        {
          date: '2026-11-02',
          pointsIssued: 10,
          pointsRedeemed: 5,
          pointsReversed: 40,
          pointsGivenBack: 30,
          pointsExpired: 20,
          pointsImported: 0,
        },
      ],
    });
  });

  it('leaves an open range open', async () => {
    const summary = bed.service.summary();
    const req = bed.httpMock.expectOne((r) => r.url === '/reports/summary');
    expect(req.request.params.has('from')).toBe(false);
    expect(req.request.params.has('to')).toBe(false);
    req.flush(summaryWire());
    expect(await summary).toMatchObject({ totalPointsIssued: 0, daily: [], topCustomers: [] });
  });

  it('keeps an outage of a quiet call off the banner', async () => {
    const summary = bed.service.summary({}, { quiet: true });
    bed.httpMock
      .expectOne((r) => r.url === '/reports/summary')
      .flush('', { status: 502, statusText: 'Bad Gateway' });
    await expect(summary).rejects.toMatchObject({ status: 502 });
    expect(TestBed.inject(ErrorBanner).visible()).toBe(false);
  });
});
