import { HttpTestingController } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { businessSession, flushError, setUpService } from '../../../../testing/http';
import { settle } from '../../../../testing/dom';
import { CustomerStore } from './customer-store';

const CUSTOMER = { phone_number: '+263771234567', total_points: 40, transactions: [] };

describe('CustomerStore', () => {
  let store: CustomerStore;
  let httpMock: HttpTestingController;

  beforeEach(() => {
    ({ service: store, httpMock } = setUpService(CustomerStore, {
      providers: [businessSession()],
    }));
  });

  afterEach(() => httpMock.verify());

  it('shows nobody before a search', () => {
    expect(store.query()).toBeNull();
    httpMock.expectNone((r) => r.url.startsWith('/businesses/3/customers/'));
  });

  it('looks the searched number up, cleaned', async () => {
    store.search('077 123 4567');
    expect(store.query()).toBe('0771234567');
    TestBed.tick();
    httpMock.expectOne('/businesses/3/customers/0771234567').flush(CUSTOMER);
    await settle();
    expect(store.customer.value()?.totalPoints).toBe(40);
    expect(store.notFound()).toBe(false);
  });

  it('follows ?phone= until a search replaces it, and ignores a malformed link', async () => {
    const link = signal<string | undefined>('12');
    store.followLink(link);
    expect(store.query()).toBeNull();

    link.set('+263771234567');
    expect(store.query()).toBe('+263771234567');
    store.search('0772222222');
    expect(store.query()).toBe('0772222222');
    TestBed.tick();
    httpMock.expectOne('/businesses/3/customers/0772222222').flush(CUSTOMER);
    await settle();
  });

  it('tells "not a customer yet" apart from other failures', async () => {
    store.search('0779999999');
    TestBed.tick();
    flushError(
      httpMock.expectOne('/businesses/3/customers/0779999999'),
      404,
      'CustomerNotFound',
      'Unknown customer',
    );
    await settle();
    expect(store.notFound()).toBe(true);

    store.reloadCustomer();
    TestBed.tick();
    httpMock
      .expectOne('/businesses/3/customers/0779999999')
      .flush({ detail: 'Loyalty is down' }, { status: 500, statusText: 'Server Error' });
    await settle();
    expect(store.notFound()).toBe(false);
    expect(store.customer.error()).toBeTruthy();
  });

  it('reloads the customer on demand', async () => {
    store.search('0771234567');
    TestBed.tick();
    httpMock.expectOne('/businesses/3/customers/0771234567').flush(CUSTOMER);
    await settle();

    store.reloadCustomer();
    TestBed.tick();
    httpMock
      .expectOne('/businesses/3/customers/0771234567')
      .flush({ ...CUSTOMER, total_points: 0 });
    await settle();
    expect(store.customer.value()?.totalPoints).toBe(0);
  });
});
