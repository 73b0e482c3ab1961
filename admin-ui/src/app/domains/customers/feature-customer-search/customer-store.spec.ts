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

  it('reverses with one Idempotency-Key per refund, kept for a retry after no answer', async () => {
    bed.service.search('0771234567');
    TestBed.tick();
    bed.httpMock.expectOne('/businesses/3/customers/0771234567').flush(CUSTOMER);
    await settle();
    bed.service.startReversing(7);
    expect(bed.service.reversing()).toBe(7);

    const lost = bed.service.reverse(7, { reason: 'Returned' });
    const first = bed.httpMock.expectOne('/transactions/7/reverse');
    first.flush(null, { status: 503, statusText: 'Service Unavailable' });
    await expect(lost).rejects.toMatchObject({ status: 503 });
    expect(bed.service.reversing()).toBe(7); // the form stays open for the retry

    const retried = bed.service.reverse(7, { reason: 'Returned' });
    const second = bed.httpMock.expectOne('/transactions/7/reverse');
    const key = first.request.headers.get('Idempotency-Key');
    expect(second.request.headers.get('Idempotency-Key')).toBe(key);
    second.flush({
      transaction_id: 8,
      reversed_transaction_id: 7,
      points: -25,
      shortfall: 0,
      amount: '25.00',
      total_points: 15,
    });
    await retried;
    expect(bed.service.reversing()).toBeNull();
    expect(bed.service.lastReversal()?.points).toBe(-25);
    TestBed.tick();
    bed.httpMock.expectOne('/businesses/3/customers/0771234567').flush(CUSTOMER);
    await settle();

    const next = bed.service.reverse(9, {});
    const third = bed.httpMock.expectOne('/transactions/9/reverse');
    expect(third.request.headers.get('Idempotency-Key')).not.toBe(key);
    flushError(third, 409, 'ReversalTooLarge');
    await expect(next).rejects.toMatchObject({ code: 'ReversalTooLarge' });
    TestBed.tick(); // the history was out of date: loaded again
    bed.httpMock.expectOne('/businesses/3/customers/0771234567').flush(CUSTOMER);
    await settle();
  });
});
