import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { businessSession, flushError, useService } from '../../../../testing/http';
import { settle } from '../../../../testing/dom';
import { CustomerStore } from './customer-store';

const CUSTOMER = { phone_number: '+263771234567', total_points: 40, transactions: [] };

describe('CustomerStore', () => {
  const bed = useService(CustomerStore, { providers: [businessSession()] });

  it('shows nobody before a search', () => {
    expect(bed.service.query()).toBeNull();
    bed.httpMock.expectNone((r) => r.url.startsWith('/businesses/3/customers/'));
  });

  it('looks the searched number up, cleaned', async () => {
    bed.service.search('077 123 4567');
    expect(bed.service.query()).toBe('0771234567');
    TestBed.tick();
    bed.httpMock.expectOne('/businesses/3/customers/0771234567').flush(CUSTOMER);
    await settle();
    expect(bed.service.customer.value()?.totalPoints).toBe(40);
    expect(bed.service.notFound()).toBe(false);
  });

  it('follows ?phone= until a search replaces it, and ignores a malformed link', async () => {
    const link = signal<string | undefined>('12');
    bed.service.followLink(link);
    expect(bed.service.query()).toBeNull();

    link.set('+263771234567');
    expect(bed.service.query()).toBe('+263771234567');
    bed.service.search('0772222222');
    expect(bed.service.query()).toBe('0772222222');
    TestBed.tick();
    bed.httpMock.expectOne('/businesses/3/customers/0772222222').flush(CUSTOMER);
    await settle();
  });

  it('tells "not a customer yet" apart from other failures', async () => {
    bed.service.search('0779999999');
    TestBed.tick();
    flushError(
      bed.httpMock.expectOne('/businesses/3/customers/0779999999'),
      404,
      'CustomerNotFound',
      'Unknown customer',
    );
    await settle();
    expect(bed.service.notFound()).toBe(true);

    bed.service.reloadCustomer();
    TestBed.tick();
    bed.httpMock
      .expectOne('/businesses/3/customers/0779999999')
      .flush({ detail: 'Loyalty is down' }, { status: 500, statusText: 'Server Error' });
    await settle();
    expect(bed.service.notFound()).toBe(false);
    expect(bed.service.customer.error()).toBeTruthy();
  });

  it('reloads the customer on demand', async () => {
    bed.service.search('0771234567');
    TestBed.tick();
    bed.httpMock.expectOne('/businesses/3/customers/0771234567').flush(CUSTOMER);
    await settle();

    bed.service.reloadCustomer();
    TestBed.tick();
    bed.httpMock
      .expectOne('/businesses/3/customers/0771234567')
      .flush({ ...CUSTOMER, total_points: 0 });
    await settle();
    expect(bed.service.customer.value()?.totalPoints).toBe(0);
  });
});
