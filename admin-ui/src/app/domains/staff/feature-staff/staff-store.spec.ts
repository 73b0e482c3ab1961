import { TestBed } from '@angular/core/testing';

import { useService } from '../../../../testing/http';
import { settle } from '../../../../testing/dom';
import { StaffStore } from './staff-store';

const OWNER = { id: 1, name: 'Tendai', email: 't@e.co', role: 'owner', created_at: '' };
const CASHIER = { id: 2, name: 'Rudo', email: 'r@e.co', role: 'cashier', created_at: '' };

describe('StaffStore', () => {
  const bed = useService(StaffStore);

  it('lists the staff with their roles', async () => {
    bed.httpMock.expectOne('/auth/staff').flush([OWNER, CASHIER]);
    await settle();
    expect(bed.service.staff.value()?.map((m) => `${m.name}:${m.role}`)).toEqual([
      'Tendai:owner',
      'Rudo:cashier',
    ]);
    expect(bed.service.unsupported()).toBe(false);
  });

  it('says so when the auth service has no staff accounts yet (404)', async () => {
    bed.httpMock
      .expectOne('/auth/staff')
      .flush({ detail: 'Not Found' }, { status: 404, statusText: 'Not Found' });
    await settle();
    expect(bed.service.unsupported()).toBe(true);
  });

  it('adds a cashier and lists them', async () => {
    bed.httpMock.expectOne('/auth/staff').flush([OWNER]);
    await settle();
    const added = bed.service.add({
      name: ' Rudo ',
      email: 'r@e.co',
      password: 'Sadza2026!',
      role: 'cashier',
    });
    const req = bed.httpMock.expectOne((r) => r.method === 'POST' && r.url === '/auth/staff');
    expect(req.request.body).toEqual({
      name: 'Rudo',
      email: 'r@e.co',
      password: 'Sadza2026!',
      role: 'cashier',
    });
    req.flush(CASHIER, { status: 201, statusText: 'Created' });
    await added;
    expect(bed.service.message()?.text).toBe('Rudo can now sign in as a cashier with r@e.co.');
    TestBed.tick();
    bed.httpMock.expectOne('/auth/staff').flush([OWNER, CASHIER]);
    await settle();
  });

  it('removes someone only after a second tap', async () => {
    bed.httpMock.expectOne('/auth/staff').flush([OWNER, CASHIER]);
    await settle();
    const rudo = bed.service.staff.value()![1];
    bed.service.askToRemove(rudo);
    expect(bed.service.confirming()).toBe(2);
    bed.httpMock.expectNone('/auth/staff/2');
    const done = bed.service.remove(rudo);
    bed.httpMock.expectOne('/auth/staff/2').flush(null, { status: 204, statusText: 'No Content' });
    await done;
    expect(bed.service.message()?.text).toBe('Rudo can no longer sign in.');
    expect(bed.service.confirming()).toBeNull();
    TestBed.tick();
    bed.httpMock.expectOne('/auth/staff').flush([OWNER]);
    await settle();
  });
});
