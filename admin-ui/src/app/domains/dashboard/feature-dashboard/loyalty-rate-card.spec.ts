import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture } from '@angular/core/testing';

import { setUpPage } from '../../../../testing/http';
import { clickButton, fieldErrors, settle, textOf, typeInto } from '../../../../testing/dom';
import { Program } from '../../shared/data/ledger-client';
import { LoyaltyRateCard } from './loyalty-rate-card';

describe('LoyaltyRateCard', () => {
  let fixture: ComponentFixture<LoyaltyRateCard>;
  let httpMock: HttpTestingController;
  let changed: Program[];

  beforeEach(async () => {
    ({ fixture, httpMock } = setUpPage(LoyaltyRateCard));
    fixture.componentRef.setInput('program', {
      id: 3,
      name: 'Mbare Bakery',
      loyaltyRate: '1.5000',
      pointsExpireAfterDays: null,
    });
    changed = [];
    fixture.componentInstance.programChange.subscribe((p) => changed.push(p));
    fixture.detectChanges();
    await settle(fixture);
  });

  afterEach(() => httpMock.verify());

  const expiryInput = 'input[inputmode=numeric]';

  it('shows and sets when points expire, with the rate', async () => {
    expect(textOf(fixture, '[data-testid="expiry"]')).toBe('Points never expire.');
    clickButton(fixture, 'Edit');
    await settle(fixture);
    typeInto(fixture, expiryInput, '365');
    clickButton(fixture, 'Save');
    await settle(fixture);
    const req = httpMock.expectOne('/businesses/3/loyalty_rules');
    expect(req.request.body).toEqual({ loyalty_rate: '1.5', points_expire_after_days: 365 });
    req.flush({
      id: 3,
      name: 'Mbare Bakery',
      loyalty_rate: '1.5000',
      points_expire_after_days: 365,
    });
    await settle(fixture);
    expect(changed.at(-1)?.pointsExpireAfterDays).toBe(365);
    fixture.componentRef.setInput('program', changed.at(-1));
    await settle(fixture);
    expect(textOf(fixture, '[data-testid="expiry"]')).toBe(
      'Points expire 365 days after they are earned.',
    );
    expect(textOf(fixture)).toContain('Point expiry updated.');
  });

  it('sends null when the days are emptied, and checks them before sending', async () => {
    fixture.componentRef.setInput('program', {
      id: 3,
      name: 'Mbare Bakery',
      loyaltyRate: '1.5000',
      pointsExpireAfterDays: 90,
    });
    clickButton(fixture, 'Edit');
    await settle(fixture);
    const box = (fixture.nativeElement as HTMLElement).querySelector<HTMLInputElement>(expiryInput);
    expect(box?.value).toBe('90');
    typeInto(fixture, expiryInput, '0');
    clickButton(fixture, 'Save');
    await settle(fixture);
    expect(fieldErrors(fixture)).toEqual(['Enter from 1 to 3650 days, or leave it empty.']);
    httpMock.expectNone('/businesses/3/loyalty_rules');

    typeInto(fixture, expiryInput, '');
    clickButton(fixture, 'Save');
    await settle(fixture);
    const req = httpMock.expectOne('/businesses/3/loyalty_rules');
    expect(req.request.body).toEqual({ loyalty_rate: '1.5', points_expire_after_days: null });
    req.flush({
      id: 3,
      name: 'Mbare Bakery',
      loyalty_rate: '1.5000',
      points_expire_after_days: null,
    });
    await settle(fixture);
    expect(changed.at(-1)?.pointsExpireAfterDays).toBeNull();
  });
});
