import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import { businessSession, flushError, setUpPage } from '../../../../testing/http';
import { clickButton, fieldErrors, settle, textOf, typeInto } from '../../../../testing/dom';
import { transactionWire } from '../../../../testing/wire';
import { CustomerSearch } from './customer-search';

describe('CustomerSearch', () => {
  let fixture: ComponentFixture<CustomerSearch>;
  let httpMock: HttpTestingController;

  beforeEach(async () => {
    ({ fixture, httpMock } = setUpPage(CustomerSearch, {
      router: true,
      providers: [businessSession()],
    }));
    fixture.detectChanges();
    TestBed.tick();
    await settle(fixture);
  });

  afterEach(() => httpMock.verify());

  it('checks the phone number before searching', async () => {
    typeInto(fixture, 'input[type=tel]', '12');
    clickButton(fixture, 'Find');
    await settle(fixture);
    expect(fieldErrors(fixture)).toEqual(['Start with 0 (local) or + and the country code.']);
    httpMock.expectNone((r) => r.url.startsWith('/businesses/3/customers/'));
  });

  it('shows the balance and the history here', async () => {
    typeInto(fixture, 'input[type=tel]', '077 123 4567');
    clickButton(fixture, 'Find');
    await settle(fixture);
    TestBed.tick();
    httpMock.expectOne('/businesses/3/customers/0771234567').flush({
      phone_number: '+263771234567',
      total_points: 1140,
      transactions: [
        {
          id: 1,
          type: 'redeem',
          business_id: 3,
          business_name: 'Mbare Bakery',
          amount_spent: null,
          points: -100,
          reward_description: 'Free coffee',
          timestamp: '2026-11-01T10:00:00Z',
        },
      ],
    });
    await settle(fixture);
    expect(textOf(fixture, '[data-testid="customer-phone"]')).toBe('+263 77 123 4567');
    expect(textOf(fixture, '[data-testid="customer-points"]')).toBe('1,140');
    expect(textOf(fixture)).toContain('Free coffee');
    const till = (fixture.nativeElement as HTMLElement).querySelector('a[href*="till"]');
    expect(till?.getAttribute('href')).toBe('/till?phone=%2B263771234567');
  });

  it('opens the customer of ?phone= with the number in the search box', async () => {
    fixture.componentRef.setInput('phone', '+263771234567');
    await settle(fixture);
    TestBed.tick();
    httpMock.expectOne('/businesses/3/customers/%2B263771234567').flush({
      phone_number: '+263771234567',
      total_points: 25,
      transactions: [],
    });
    await settle(fixture);
    const box = (fixture.nativeElement as HTMLElement).querySelector<HTMLInputElement>(
      'input[type=tel]',
    );
    expect(box?.value).toBe('+263771234567');
    expect(textOf(fixture, '[data-testid="customer-points"]')).toBe('25');
  });

  it('says when nobody has that number yet', async () => {
    typeInto(fixture, 'input[type=tel]', '0779999999');
    clickButton(fixture, 'Find');
    await settle(fixture);
    TestBed.tick();
    flushError(
      httpMock.expectOne('/businesses/3/customers/0779999999'),
      404,
      'CustomerNotFound',
      'Unknown customer',
    );
    await settle(fixture);
    expect(textOf(fixture)).toContain('No customer with this number yet');
  });

  describe('reversing a transaction', () => {
    const purchase = transactionWire({ id: 1, type: 'earn', amount_spent: '25.00', points: 25 });

    async function openCustomer(transactions: object[], totalPoints = 10): Promise<void> {
      typeInto(fixture, 'input[type=tel]', '0771234567');
      clickButton(fixture, 'Find');
      await settle(fixture);
      TestBed.tick();
      httpMock.expectOne('/businesses/3/customers/0771234567').flush({
        phone_number: '+263771234567',
        total_points: totalPoints,
        transactions,
      });
      await settle(fixture);
    }

    function reverseButtons(): HTMLButtonElement[] {
      return Array.from(
        (fixture.nativeElement as HTMLElement).querySelectorAll<HTMLButtonElement>('button'),
      ).filter((b) => b.textContent?.trim().startsWith('Reverse'));
    }

    it('refunds part of a purchase after a confirmation, and shows the shortfall', async () => {
      await openCustomer([purchase]);
      reverseButtons()[0].click();
      await settle(fixture);
      typeInto(fixture, '[data-testid="reverse-form"] input[inputmode=decimal]', '10');
      typeInto(fixture, '[data-testid="reverse-form"] input:not([inputmode])', 'Returned a shirt');
      clickButton(fixture, 'Continue');
      await settle(fixture);
      httpMock.expectNone('/transactions/1/reverse'); // nothing sent before the confirmation
      expect(textOf(fixture, '[data-testid="reverse-confirm"]')).toContain(
        'Refund $10.00 of this $25.00 purchase.',
      );
      expect(textOf(fixture, '[data-testid="reverse-confirm"]')).toContain(
        'The customer has 10 points now',
      );

      clickButton(fixture, 'Yes, reverse it');
      await settle(fixture);
      const req = httpMock.expectOne('/transactions/1/reverse');
      expect(req.request.body).toEqual({ amount: '10', reason: 'Returned a shirt' });
      expect(req.request.headers.get('Idempotency-Key')).toBeTruthy();
      req.flush({
        transaction_id: 2,
        reversed_transaction_id: 1,
        points: -4,
        shortfall: 6,
        amount: '10.00',
        total_points: 6,
      });
      await settle(fixture);
      TestBed.tick();
      httpMock.expectOne('/businesses/3/customers/0771234567').flush({
        phone_number: '+263771234567',
        total_points: 6,
        transactions: [
          transactionWire({
            id: 2,
            type: 'reversal',
            amount_spent: '10.00',
            points: -4,
            reward_description: 'Returned a shirt',
            reversed_transaction_id: 1,
            shortfall: 6,
          }),
          purchase,
        ],
      });
      await settle(fixture);
      expect(textOf(fixture, '[data-testid="reversal-done"]')).toBe(
        'Reversed: 4 points taken back. 6 points could not be taken back: the customer had ' +
          'already spent them (shortfall). Balance now 6 points.',
      );
      expect(textOf(fixture, '[data-testid="shortfall"]')).toBe(
        '6 points were already spent and could not be taken back.',
      );
      expect(textOf(fixture)).toContain('Refunded $10.00: Returned a shirt');
      expect(reverseButtons()).toHaveLength(1); // $15.00 of the purchase is left to refund
    });

    it('checks a partial amount before anything is sent', async () => {
      await openCustomer([purchase]);
      reverseButtons()[0].click();
      await settle(fixture);
      typeInto(fixture, '[data-testid="reverse-form"] input[inputmode=decimal]', '30');
      clickButton(fixture, 'Continue');
      await settle(fixture);
      expect(fieldErrors(fixture)).toEqual(['At most $25.00 of this purchase is left to refund.']);
      expect(textOf(fixture)).not.toContain('Yes, reverse it');
    });

    it("says the server's refusal in words and shows the history again", async () => {
      const redemption = transactionWire({
        id: 3,
        type: 'redeem',
        amount_spent: null,
        points: -100,
        reward_description: 'Free coffee',
      });
      await openCustomer([redemption]);
      reverseButtons()[0].click();
      await settle(fixture);
      expect(
        (fixture.nativeElement as HTMLElement).querySelector('input[inputmode=decimal]'),
      ).toBeNull(); // a redemption is reversed whole
      clickButton(fixture, 'Continue');
      await settle(fixture);
      expect(textOf(fixture, '[data-testid="reverse-confirm"]')).toContain(
        'Cancel this redemption (Free coffee). Its 100 points go back to the customer.',
      );
      clickButton(fixture, 'Yes, reverse it');
      await settle(fixture);
      flushError(httpMock.expectOne('/transactions/3/reverse'), 409, 'AlreadyReversed');
      await settle(fixture);
      expect(textOf(fixture, '[data-testid="form-error"]')).toBe(
        'Nothing was reversed. This transaction has already been reversed in full.',
      );
      TestBed.tick();
      httpMock.expectOne('/businesses/3/customers/0771234567').flush({
        phone_number: '+263771234567',
        total_points: 110,
        transactions: [
          transactionWire({
            id: 4,
            type: 'reversal',
            amount_spent: null,
            points: 100,
            reversed_transaction_id: 3,
          }),
          redemption,
        ],
      });
      await settle(fixture);
      expect(textOf(fixture, '[data-testid="form-error"]')).toContain('already been reversed');
      clickButton(fixture, 'Back');
      clickButton(fixture, 'Cancel');
      await settle(fixture);
      expect(reverseButtons()).toHaveLength(0);
    });
  });
});
