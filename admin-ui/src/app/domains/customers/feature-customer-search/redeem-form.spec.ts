import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import { clickButton, fieldErrors, settle, textOf, typeInto } from '../../../../testing/dom';
import { Reward } from '../../shared/data/rewards-catalog';
import { RedeemForm } from './redeem-form';

const COFFEE: Reward = {
  id: 4,
  name: 'Free coffee',
  description: '',
  pointsCost: 100,
  active: true,
};
const OLD: Reward = { id: 5, name: 'Old mug', description: '', pointsCost: 50, active: false };

describe('RedeemForm', () => {
  let fixture: ComponentFixture<RedeemForm>;
  let httpMock: HttpTestingController;
  let redeemed: number;
  let rewardsChanged: number;
  let balanceStale: number;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    httpMock = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(RedeemForm);
    fixture.componentRef.setInput('businessId', 3);
    fixture.componentRef.setInput('phoneNumber', '+263771234567');
    fixture.componentRef.setInput('balance', 140);
    fixture.componentRef.setInput('rewards', [COFFEE, OLD]);
    redeemed = 0;
    fixture.componentInstance.redeemed.subscribe(() => redeemed++);
    rewardsChanged = 0;
    fixture.componentInstance.rewardsChanged.subscribe(() => rewardsChanged++);
    balanceStale = 0;
    fixture.componentInstance.balanceStale.subscribe(() => balanceStale++);
    await fixture.whenStable();
  });

  afterEach(() => httpMock.verify());

  it('shows what is wrong and sends nothing for bad input', async () => {
    typeInto(fixture, 'input[inputmode=numeric]', '1.5');
    clickButton(fixture, 'Review redemption');
    await settle(fixture);
    expect(fieldErrors(fixture)).toEqual(['Points are whole numbers.', 'Enter a description.']);
    expect(textOf(fixture)).not.toContain('Confirm redemption');
    httpMock.expectNone('/transactions/redeem_points');
  });

  it('refuses more points than the balance before asking the server', async () => {
    typeInto(fixture, 'input[inputmode=numeric]', '500');
    typeInto(fixture, 'input[autocomplete=off]:not([inputmode])', 'Television');
    clickButton(fixture, 'Review redemption');
    await settle(fixture);
    expect(fieldErrors(fixture)).toEqual(['The customer has only 140 points.']);
    httpMock.expectNone('/transactions/redeem_points');
  });

  it('offers only active rewards, and a reward fixes the points to its cost', async () => {
    const options = Array.from(
      (fixture.nativeElement as HTMLElement).querySelectorAll('option'),
    ).map((o) => o.textContent?.trim());
    expect(options).toEqual(['Points only (no catalog reward)', 'Free coffee — 100 points']);

    typeInto(fixture, 'select', '4');
    expect(textOf(fixture, '[data-testid="reward-cost"]')).toBe('Free coffee costs 100 points.');
    clickButton(fixture, 'Review redemption');
    await settle(fixture);
    expect(textOf(fixture, '[data-testid="redeem-review"]')).toContain(
      'Redeem 100 points from +263 77 123 4567 for Free coffee?',
    );
    httpMock.expectNone('/transactions/redeem_points');

    clickButton(fixture, 'Confirm redemption');
    await settle(fixture);
    const req = httpMock.expectOne('/transactions/redeem_points');
    expect(req.request.body).toEqual({
      business_id: 3,
      customer_phone_number: '+263771234567',
      points_to_redeem: 100,
      reward_description: 'Free coffee',
      reward_id: 4,
    });
    expect(req.request.headers.has('Idempotency-Key')).toBe(true);
    req.flush(
      { transaction_id: 7, points_redeemed: 100, total_points: 40 },
      { status: 201, statusText: 'Created' },
    );
    await settle(fixture);
    expect(textOf(fixture, '[data-testid="form-success"]')).toBe(
      'Redeemed 100 points for Free coffee. New balance: 40 points.',
    );
    expect(redeemed).toBe(1);
  });

  it('shows the server’s detail when points are insufficient (409)', async () => {
    typeInto(fixture, 'input[inputmode=numeric]', '120');
    typeInto(fixture, 'input[autocomplete=off]:not([inputmode])', 'Cake');
    clickButton(fixture, 'Review redemption');
    await settle(fixture);
    clickButton(fixture, 'Confirm redemption');
    await settle(fixture);
    httpMock
      .expectOne('/transactions/redeem_points')
      .flush(
        { detail: 'The customer does not have enough points', error: 'InsufficientPoints' },
        { status: 409, statusText: 'Conflict' },
      );
    await settle(fixture);
    expect(textOf(fixture, '[data-testid="form-error"]')).toBe(
      'The customer does not have enough points',
    );
    expect(redeemed).toBe(0);
    expect(balanceStale).toBe(1);
  });

  it('goes back to the form with fresh rewards when the reward was deactivated (422)', async () => {
    typeInto(fixture, 'select', '4');
    clickButton(fixture, 'Review redemption');
    await settle(fixture);
    clickButton(fixture, 'Confirm redemption');
    await settle(fixture);
    httpMock
      .expectOne('/transactions/redeem_points')
      .flush(
        { detail: 'This reward is no longer offered', error: 'RewardInactive' },
        { status: 422, statusText: 'Unprocessable Entity' },
      );
    await settle(fixture);
    expect(textOf(fixture, '[data-testid="form-error"]')).toBe('This reward is no longer offered');
    expect(textOf(fixture)).toContain('Review redemption');
    expect(rewardsChanged).toBe(1);
    expect(redeemed).toBe(0);
  });

  it('goes back to editing without sending anything', async () => {
    typeInto(fixture, 'input[inputmode=numeric]', '20');
    typeInto(fixture, 'input[autocomplete=off]:not([inputmode])', 'Bread');
    clickButton(fixture, 'Review redemption');
    await settle(fixture);
    clickButton(fixture, 'Back');
    expect(textOf(fixture)).toContain('Review redemption');
    httpMock.expectNone('/transactions/redeem_points');
  });
});
