import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import { businessSession, flushError, setUpPage } from '../../../../testing/http';
import { clickButton, fieldErrors, settle, textOf, typeInto } from '../../../../testing/dom';
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
});
