import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { availabilityInterceptor } from '../../../core/http/availability-interceptor';
import { ErrorBanner } from '../../../core/http/error-banner';
import { ReportsClient, toReportSummary } from './reports-client';

describe('ReportsClient', () => {
  let client: ReportsClient;
  let httpMock: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([availabilityInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    client = TestBed.inject(ReportsClient);
    httpMock = TestBed.inject(HttpTestingController);
  });

  afterEach(() => httpMock.verify());

  it('asks for the summary of a date range and maps it', async () => {
    const summary = client.summary({ from: '2026-11-01', to: '2026-11-30' });
    const req = httpMock.expectOne((r) => r.url === '/reports/summary');
    expect(req.request.params.get('from')).toBe('2026-11-01');
    expect(req.request.params.get('to')).toBe('2026-11-30');
    req.flush({
      total_points_issued: 1200,
      total_redemptions: { count: 4, points: 350 },
      customer_count: 31,
      top_customers: [{ phone_number: '+263771234567', points_earned: 300 }],
      daily: [
        { date: '2026-11-02', points_issued: 10, points_redeemed: 5 },
        { date: '2026-11-01', points_issued: 40, points_redeemed: 0 },
      ],
    });
    expect(await summary).toEqual({
      totalPointsIssued: 1200,
      redemptionsCount: 4,
      redemptionsPoints: 350,
      customerCount: 31,
      topCustomers: [{ phoneNumber: '+263771234567', pointsEarned: 300 }],
      daily: [
        { date: '2026-11-01', pointsIssued: 40, pointsRedeemed: 0 },
        { date: '2026-11-02', pointsIssued: 10, pointsRedeemed: 5 },
      ],
    });
  });

  it('keeps an outage of a quiet call off the banner', async () => {
    const summary = client.summary({}, { quiet: true });
    httpMock.expectOne('/reports/summary').flush('', { status: 502, statusText: 'Bad Gateway' });
    await expect(summary).rejects.toMatchObject({ status: 502 });
    expect(TestBed.inject(ErrorBanner).visible()).toBe(false);
  });
});

describe('toReportSummary', () => {
  it('reads a bare redemption count and fills gaps with zeros', () => {
    expect(toReportSummary({ total_redemptions: 3 })).toEqual({
      totalPointsIssued: 0,
      redemptionsCount: 3,
      redemptionsPoints: 0,
      customerCount: 0,
      topCustomers: [],
      daily: [],
    });
  });

  it('keeps the top 5 customers only', () => {
    const top = Array.from({ length: 8 }, (_, i) => ({
      phone_number: `+26377123456${i}`,
      points_earned: 10 - i,
    }));
    expect(toReportSummary({ top_customers: top }).topCustomers).toHaveLength(5);
  });
});
