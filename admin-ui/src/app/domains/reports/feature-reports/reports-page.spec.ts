import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import { settle, textOf } from '../../../../testing/dom';
import { businessSession, setUpPage } from '../../../../testing/http';
import { dayWire, summaryWire } from '../../../../testing/wire';
import { ReportsPage } from './reports-page';

describe('ReportsPage', () => {
  let fixture: ComponentFixture<ReportsPage>;
  let httpMock: HttpTestingController;

  beforeEach(() => {
    ({ fixture, httpMock } = setUpPage(ReportsPage, {
      router: true,
      providers: [businessSession()],
    }));
    fixture.detectChanges();
    TestBed.tick();
  });

  afterEach(() => httpMock.verify());

  async function show(figures: object): Promise<void> {
    httpMock.expectOne((r) => r.url === '/reports/summary').flush(summaryWire(figures));
    await settle(fixture);
    await fixture.whenStable();
  }

  const figure = (id: string) => textOf(fixture, `[data-testid="figure-${id}"]`);
  const value = (id: string) =>
    textOf(fixture, `[data-testid="figure-${id}"] [data-testid="figure-value"]`);

  it('says what refunds, cancelled redemptions, expiry and imports did, and the net', async () => {
    await show({
      total_points_issued: 1200,
      total_redemptions: { count: 4, points: 350 },
      total_reversals: { count: 3, points_reversed: 40, shortfall: 15, points_given_back: 30 },
      total_points_expired: 20,
      total_points_imported: 1500,
      net_points: 2320,
      daily: [dayWire('2026-12-01', { points_reversed: 40, points_expired: 20 })],
    });

    expect(textOf(fixture, '[data-testid="ledger-card"] h2')).toBe('Refunds, expiry and imports');
    expect(textOf(fixture, '[data-testid="refund-count"]')).toBe(
      '3 refunds or cancelled redemptions in this period.',
    );
    expect(value('reversed')).toBe('40 pts');
    expect(figure('reversed')).toContain('Taken back by refunds');
    expect(figure('reversed')).toContain('a purchase or a referral bonus was refunded');
    expect(textOf(fixture, '[data-testid="figure-reversed"] [data-testid="figure-note"]')).toBe(
      '15 points could not be taken back: the customers had already spent them.',
    );
    expect(value('given-back')).toBe('30 pts');
    expect(figure('given-back')).toContain('Given back by cancelled redemptions');
    expect(value('expired')).toBe('20 pts');
    expect(figure('expired')).toContain('did not use before they expired');
    expect(value('imported')).toBe('1,500 pts');
    expect(figure('imported')).toContain('They are not points issued.');
    expect(value('net')).toBe('+2,320 pts');
    expect(figure('net')).toContain("What this period added to your customers' balances");
    // Only expiries and refunds that day: nothing issued or redeemed to chart.
    expect(textOf(fixture, '[data-testid="chart-empty"]')).toContain('No data yet');
  });

  it('shows no shortfall line when refunds took everything back, and a negative net', async () => {
    await show({
      total_reversals: { count: 1, points_reversed: 12, shortfall: 0, points_given_back: 0 },
      total_points_expired: 1,
      net_points: -13,
    });

    expect(textOf(fixture, '[data-testid="refund-count"]')).toBe(
      '1 refund or cancelled redemption in this period.',
    );
    expect(fixture.nativeElement.querySelector('[data-testid="figure-note"]')).toBeNull();
    expect(value('net')).toBe('−13 pts');
    expect(figure('net')).toContain(
      "Your customers' balances went down by 13 points from what happened here in this period.",
    );
    expect(value('expired')).toBe('1 pt');
  });

  it('says when there were no refunds at all', async () => {
    await show({});

    expect(textOf(fixture, '[data-testid="refund-count"]')).toBe(
      'No refunds or cancelled redemptions in this period.',
    );
    expect(value('net')).toBe('0 pts');
    expect(value('reversed')).toBe('0 pts');
  });
});
