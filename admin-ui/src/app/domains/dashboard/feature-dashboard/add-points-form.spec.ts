import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import { clickButton, fieldErrors, settle, textOf, typeInto } from '../../../../testing/dom';
import { PointsAdded } from '../data/program-client';
import { AddPointsForm } from './add-points-form';

describe('AddPointsForm', () => {
  let fixture: ComponentFixture<AddPointsForm>;
  let httpMock: HttpTestingController;
  let added: PointsAdded[];

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    httpMock = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(AddPointsForm);
    fixture.componentRef.setInput('businessId', 3);
    added = [];
    fixture.componentInstance.pointsAdded.subscribe((p) => added.push(p));
    await fixture.whenStable();
  });

  afterEach(() => httpMock.verify());

  function fill(phone: string, amount: string): void {
    typeInto(fixture, 'input[type=tel]', phone);
    typeInto(fixture, 'input[inputmode=decimal]', amount);
  }

  it('shows what is wrong and sends nothing for bad input', async () => {
    fill('12345', '2.505');
    clickButton(fixture, 'Add points');
    await settle(fixture);
    expect(fieldErrors(fixture)).toEqual([
      'Start with 0 (local) or + and the country code.',
      'Use at most 2 decimal places.',
    ]);
    httpMock.expectNone('/transactions/add_points');
  });

  it('refuses a zero amount without calling the server', async () => {
    fill('0771234567', '0');
    clickButton(fixture, 'Add points');
    await settle(fixture);
    expect(fieldErrors(fixture)).toEqual(['The amount must be more than 0.']);
    httpMock.expectNone('/transactions/add_points');
  });

  it('awards points with an idempotency key and says so', async () => {
    fill('+263 77 123 4567', '25.50');
    clickButton(fixture, 'Add points');
    await settle(fixture);
    const req = httpMock.expectOne('/transactions/add_points');
    expect(req.request.body).toEqual({
      business_id: 3,
      customer_phone_number: '+263771234567',
      amount_spent: '25.50',
    });
    expect(req.request.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{32,36}$/);
    req.flush(
      {
        transaction_id: 1,
        customer_phone_number: '+263771234567',
        points_earned: 25,
        total_points: 140,
      },
      { status: 201, statusText: 'Created' },
    );
    await settle(fixture);
    expect(textOf(fixture, '[data-testid="form-success"]')).toBe(
      'Points added successfully for +263 77 123 4567: 25 points, balance 140',
    );
    expect(added).toHaveLength(1);
    expect(
      (fixture.nativeElement as HTMLElement).querySelector<HTMLInputElement>('input[type=tel]')
        ?.value,
    ).toBe('');
  });

  it('retries a submission whose answer was lost with the same key', async () => {
    fill('0771234567', '10');
    clickButton(fixture, 'Add points');
    await settle(fixture);
    const first = httpMock.expectOne('/transactions/add_points');
    const key = first.request.headers.get('Idempotency-Key');
    first.error(new ProgressEvent('error'), { status: 0 });
    await settle(fixture);
    expect(textOf(fixture, '[data-testid="form-error"]')).toMatch(/Can't reach the server/);

    clickButton(fixture, 'Add points');
    await settle(fixture);
    const retry = httpMock.expectOne('/transactions/add_points');
    expect(retry.request.headers.get('Idempotency-Key')).toBe(key);
    retry.flush({
      transaction_id: 1,
      customer_phone_number: '+263771234567',
      points_earned: 10,
      total_points: 10,
    });
    await settle(fixture);
  });

  it('shows a server 422 next to the field it names', async () => {
    fill('0771234567', '5000000');
    clickButton(fixture, 'Add points');
    await settle(fixture);
    httpMock.expectOne('/transactions/add_points').flush(
      {
        detail: 'amount_spent: must not exceed 1000000',
        error: 'ValidationError',
        errors: [
          { field: 'amount_spent', message: 'must not exceed 1000000', type: 'value_error' },
        ],
      },
      { status: 422, statusText: 'Unprocessable Entity' },
    );
    await settle(fixture);
    expect(fieldErrors(fixture)).toEqual(['must not exceed 1000000']);
    expect(added).toHaveLength(0);
  });

  it('shows a server refusal that names no field as a form message', async () => {
    fill('0771234567', '10');
    clickButton(fixture, 'Add points');
    await settle(fixture);
    httpMock
      .expectOne('/transactions/add_points')
      .flush(
        { detail: 'Not allowed for this business', error: 'Forbidden' },
        { status: 403, statusText: 'Forbidden' },
      );
    await settle(fixture);
    expect(textOf(fixture, '[data-testid="form-error"]')).toBe('Not allowed for this business');
  });
});
