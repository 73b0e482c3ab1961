import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import { Session } from '../../../core/auth/session';
import { clickButton, fieldErrors, settle, textOf, typeInto } from '../../../../testing/dom';
import { TillPage, codeProblem } from './till-page';
import { awardWire, CREATED } from '../../../../testing/wire';

const CUSTOMER = {
  phone_number: '+263771234567',
  total_points: 25,
  transactions: [],
};

describe('TillPage', () => {
  let fixture: ComponentFixture<TillPage>;
  let httpMock: HttpTestingController;
  let root: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: Session, useValue: { businessId: signal(3) } },
      ],
    });
    httpMock = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(TillPage);
    root = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
    TestBed.tick();
    httpMock.expectOne('/businesses/3').flush({ id: 3, name: 'Mbare', loyalty_rate: '1.0000' });
    httpMock
      .expectOne((r) => r.url === '/businesses/3/rewards')
      .flush([
        {
          id: 4,
          business_id: 3,
          name: 'Free coffee',
          description: '',
          points_cost: 10,
          active: true,
          created_at: '',
          updated_at: '',
        },
      ]);
    await settle(fixture);
  });

  afterEach(() => httpMock.verify());

  function submit(selector: string): void {
    const form = root.querySelector<HTMLFormElement>(selector);
    form?.dispatchEvent(new Event('submit', { cancelable: true }));
    fixture.detectChanges();
  }

  async function lookUp(phone = '0771234567'): Promise<void> {
    typeInto(fixture, 'input[type=tel]', phone);
    submit('form[role=search]');
    await settle(fixture);
    TestBed.tick();
    httpMock.expectOne(`/businesses/3/customers/${phone}`).flush(CUSTOMER);
    await settle(fixture);
    await fixture.whenStable();
  }

  it('opens with the cursor in the phone field', async () => {
    await fixture.whenStable();
    expect(document.activeElement).toBe(root.querySelector('input[type=tel]'));
  });

  it('looks the customer up with Enter and moves to the amount', async () => {
    await lookUp();
    expect(textOf(fixture, '[data-testid="till-phone"]')).toBe('+263 77 123 4567');
    expect(textOf(fixture, '[data-testid="till-balance"]')).toBe('25');
    expect(textOf(fixture, '[data-testid="affordable"]')).toContain('Free coffee');
    expect(document.activeElement).toBe(root.querySelector('input[inputmode=decimal]'));
  });

  it('shows a new customer, whom the first award creates', async () => {
    typeInto(fixture, 'input[type=tel]', '0779999999');
    submit('form[role=search]');
    await settle(fixture);
    TestBed.tick();
    httpMock
      .expectOne('/businesses/3/customers/0779999999')
      .flush({ detail: 'x', error: 'CustomerNotFound' }, { status: 404, statusText: 'Not Found' });
    await settle(fixture);
    expect(textOf(fixture, '[data-testid="till-phone"]')).toBe('+263 77 999 9999');
    expect(textOf(fixture, '[data-testid="till-balance"]')).toBe('0');
    expect(textOf(fixture)).toContain('New customer: their first points add them.');
    expect(root.querySelector('input[inputmode=decimal]')).not.toBeNull();
  });

  it('awards and puts the cursor back in the phone field, number selected', async () => {
    await lookUp();
    typeInto(fixture, 'input[inputmode=decimal]', '12.50');
    expect(textOf(fixture)).toContain('Earns 12 points.');
    submit('form:not([role=search])');
    await settle(fixture);
    httpMock
      .expectOne('/transactions/add_points')
      .flush(awardWire(1, '+263771234567', 12, 37), CREATED);
    await settle(fixture);
    const phone = root.querySelector<HTMLInputElement>('input[type=tel]');
    expect(document.activeElement).toBe(phone);
    expect(phone?.selectionStart).toBe(0);
    expect(phone?.selectionEnd).toBe(phone?.value.length);
    expect(textOf(fixture, '[data-testid="till-message"]')).toBe(
      'Added 12 points for +263 77 123 4567. New balance: 37 points.',
    );
    TestBed.tick();
    httpMock.expectOne('/businesses/3/customers/0771234567').flush(CUSTOMER);
    await settle(fixture);
  });

  it('checks the amount before sending anything', async () => {
    await lookUp();
    typeInto(fixture, 'input[inputmode=decimal]', '12.345');
    submit('form:not([role=search])');
    await settle(fixture);
    expect(fieldErrors(fixture)).toEqual(['Use at most 2 decimal places.']);
    httpMock.expectNone('/transactions/add_points');
  });

  it('ties hints and errors to their field, outside the label', async () => {
    await lookUp();
    typeInto(fixture, 'input[inputmode=decimal]', '0');
    submit('form:not([role=search])');
    await settle(fixture);
    const amount = root.querySelector<HTMLInputElement>('input[inputmode=decimal]');
    const label = root.querySelector<HTMLLabelElement>(`label[for="${amount?.id}"]`);
    expect(label?.textContent?.trim()).toBe('Amount spent (USD)');
    const description = document.getElementById(amount?.getAttribute('aria-describedby') ?? '');
    expect(description?.textContent?.trim()).toBe('The amount must be more than 0.');
    expect(description?.getAttribute('role')).toBe('alert');
  });

  it('asks for the customer’s code with the cursor in the code field', async () => {
    await lookUp();
    clickButton(fixture, 'Redeem');
    await settle(fixture);
    httpMock
      .expectOne('/transactions/redeem_points')
      .flush({ detail: 'x', error: 'CustomerCodeRequired' }, { status: 428, statusText: 'x' });
    await settle(fixture);
    httpMock
      .expectOne('/transactions/redemption_codes')
      .flush(null, { status: 202, statusText: 'Accepted' });
    await settle(fixture);
    await fixture.whenStable();
    const code = root.querySelector<HTMLInputElement>('input[autocomplete=one-time-code]');
    expect(code).not.toBeNull();
    expect(document.activeElement).toBe(code);
    expect(fieldErrors(fixture)).toEqual([]); // leaving the empty amount is no mistake
    typeInto(fixture, 'input[autocomplete=one-time-code]', '12345');
    submit('[data-testid="consent"]');
    await settle(fixture);
    expect(fieldErrors(fixture)).toEqual(['The code has 6 digits.']);
    httpMock.expectNone('/transactions/redeem_points');
  });

  it('starts over for the next customer with the cursor in the phone field', async () => {
    await lookUp();
    clickButton(fixture, 'Next customer');
    await settle(fixture);
    const phone = root.querySelector<HTMLInputElement>('input[type=tel]');
    expect(phone?.value).toBe('');
    expect(document.activeElement).toBe(phone);
    expect(root.querySelector('[data-testid="till-card"]')).toBeNull();
  });
});

describe('codeProblem', () => {
  it('wants exactly 6 digits', () => {
    expect(codeProblem('')).toBe('Enter the code the customer received.');
    expect(codeProblem('12345')).toBe('The code has 6 digits.');
    expect(codeProblem('123 456')).toBeNull();
  });
});
