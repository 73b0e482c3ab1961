import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { setUpService } from '../../../../testing/http';
import { settle } from '../../../../testing/dom';
import { StaffStore } from './staff-store';

const OWNER = { id: 1, name: 'Tendai', email: 't@e.co', role: 'owner', created_at: '' };
const CASHIER = { id: 2, name: 'Rudo', email: 'r@e.co', role: 'cashier', created_at: '' };

describe('StaffStore', () => {
  let store: StaffStore;
  let httpMock: HttpTestingController;

  beforeEach(() => {
    ({ service: store, httpMock } = setUpService(StaffStore));
  });

  afterEach(() => httpMock.verify());

  it('lists the staff with their roles', async () => {
    httpMock.expectOne('/auth/staff').flush([OWNER, CASHIER]);
    await settle();
    expect(store.staff.value()?.map((m) => `${m.name}:${m.role}`)).toEqual([
      'Tendai:owner',
      'Rudo:cashier',
    ]);
    expect(store.unsupported()).toBe(false);
  });

  it('says so when the auth service has no staff accounts yet (404)', async () => {
    httpMock
      .expectOne('/auth/staff')
      .flush({ detail: 'Not Found' }, { status: 404, statusText: 'Not Found' });
    await settle();
    expect(store.unsupported()).toBe(true);
  });

  it('adds a cashier and lists them', async () => {
    httpMock.expectOne('/auth/staff').flush([OWNER]);
    await settle();
    const added = store.add({
      name: ' Rudo ',
      email: 'r@e.co',
      password: 'Sadza2026!',
      role: 'cashier',
    });
    const req = httpMock.expectOne((r) => r.method === 'POST' && r.url === '/auth/staff');
    expect(req.request.body).toEqual({
      name: 'Rudo',
      email: 'r@e.co',
      password: 'Sadza2026!',
      role: 'cashier',
    });
    req.flush(CASHIER, { status: 201, statusText: 'Created' });
    await added;
    expect(store.message()?.text).toBe('Rudo can now sign in as a cashier with r@e.co.');
    TestBed.tick();
    httpMock.expectOne('/auth/staff').flush([OWNER, CASHIER]);
    await settle();
  });

  it('removes someone only after a second tap', async () => {
    httpMock.expectOne('/auth/staff').flush([OWNER, CASHIER]);
    await settle();
    const rudo = store.staff.value()![1];
    store.askToRemove(rudo);
    expect(store.confirming()).toBe(2);
    httpMock.expectNone('/auth/staff/2');
    const done = store.remove(rudo);
    httpMock.expectOne('/auth/staff/2').flush(null, { status: 204, statusText: 'No Content' });
    await done;
    expect(store.message()?.text).toBe('Rudo can no longer sign in.');
    expect(store.confirming()).toBeNull();
    TestBed.tick();
    httpMock.expectOne('/auth/staff').flush([OWNER]);
    await settle();
  });
});
