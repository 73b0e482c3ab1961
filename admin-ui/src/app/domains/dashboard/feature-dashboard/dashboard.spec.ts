import { HttpTestingController } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import { availabilityInterceptor } from '../../../core/http/availability-interceptor';
import { ErrorBanner } from '../../../core/http/error-banner';
import { businessSession, setUpPage } from '../../../../testing/http';
import { summaryWire, transactionWire } from '../../../../testing/wire';
import { settle, textOf } from '../../../../testing/dom';
import { Dashboard } from './dashboard';

const session = businessSession({
  business: signal({
    id: 3,
    name: 'Mbare Bakery',
    contactPerson: 'Rudo',
    email: 'r@e.co',
    createdAt: '',
  }),
});

describe('Dashboard', () => {
  let fixture: ComponentFixture<Dashboard>;
  let httpMock: HttpTestingController;

  beforeEach(async () => {
    ({ fixture, httpMock } = setUpPage(Dashboard, {
      interceptors: [availabilityInterceptor],
      router: true,
      providers: [session],
    }));
    fixture.detectChanges();
    TestBed.tick();
  });

  afterEach(() => httpMock.verify());

  function answerProgramAndTransactions(): void {
    httpMock
      .expectOne('/businesses/3')
      .flush({ id: 3, name: 'Mbare Bakery', loyalty_rate: '1.5000' });
    httpMock
      .expectOne((r) => r.url === '/businesses/3/transactions')
      .flush([transactionWire({ customer_phone_number: '+263771234567' })]);
  }

  it('shows the business, its rate, its latest transactions and headline figures', async () => {
    answerProgramAndTransactions();
    httpMock
      .expectOne((r) => r.url === '/reports/summary')
      .flush(
        summaryWire({
          total_points_issued: 1200,
          total_redemptions: { count: 4, points: 350 },
          customer_count: 31,
        }),
      );
    await settle(fixture);
    await fixture.whenStable();
    expect(textOf(fixture, 'h1')).toBe('Mbare Bakery');
    expect(textOf(fixture, '[data-testid="rate"]')).toBe('1.5');
    expect(textOf(fixture)).toContain('+263 77 123 4567');
    expect(textOf(fixture)).toContain('Spent $25.00');
    expect(textOf(fixture, '[data-testid="headline"]')).toContain('1,200');
    expect(textOf(fixture, '[data-testid="dashboard-issued"]')).toContain(
      'Points issued, last 30 days',
    );
    expect(textOf(fixture, '[data-testid="headline"]')).toContain('4 redemptions');
  });

  it('says "1 redemption", not "1 redemptions"', async () => {
    answerProgramAndTransactions();
    httpMock
      .expectOne((r) => r.url === '/reports/summary')
      .flush(
        summaryWire({
          total_points_issued: 10,
          total_redemptions: { count: 1, points: 10 },
          customer_count: 1,
        }),
      );
    await settle(fixture);
    expect(textOf(fixture, '[data-testid="headline"]')).toContain('1 redemption');
    expect(textOf(fixture, '[data-testid="headline"]')).not.toContain('1 redemptions');
  });

  it('says "Reports unavailable" quietly when reports is not deployed', async () => {
    answerProgramAndTransactions();
    httpMock
      .expectOne((r) => r.url === '/reports/summary')
      .flush('Bad Gateway', { status: 502, statusText: 'Bad Gateway' });
    await settle(fixture);
    await fixture.whenStable();
    expect(textOf(fixture, '[data-testid="reports-unavailable"]')).toBe(
      'Reports unavailable right now.',
    );
    expect(TestBed.inject(ErrorBanner).visible()).toBe(false);
    expect(textOf(fixture)).toContain('Open the till');
  });
});
