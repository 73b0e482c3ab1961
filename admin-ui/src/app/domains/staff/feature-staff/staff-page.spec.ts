import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import { AuthStore } from '../../../core/auth/auth-store';
import { flushError, setUpHttp } from '../../../../testing/http';
import { clickButton, fieldErrors, settle, textOf, typeInto } from '../../../../testing/dom';
import { fakeJwt } from '../../../../testing/tokens';
import { StaffPage } from './staff-page';

describe('StaffPage', () => {
  let fixture: ComponentFixture<StaffPage>;
  let httpMock: HttpTestingController;

  beforeEach(async () => {
    localStorage.clear();
    httpMock = setUpHttp();
    TestBed.inject(AuthStore).signIn(fakeJwt({ business_id: 3, staff_id: 1, staff_role: 'owner' }));
    fixture = TestBed.createComponent(StaffPage);
    fixture.detectChanges();
    TestBed.tick();
    httpMock.expectOne('/auth/staff').flush([
      { id: 1, name: 'Tendai', email: 't@e.co', role: 'owner', created_at: '' },
      { id: 2, name: 'Rudo', email: 'r@e.co', role: 'cashier', created_at: '' },
    ]);
    await settle(fixture);
  });

  afterEach(() => httpMock.verify());

  it('offers to remove others, never the person signed in', () => {
    const members = Array.from(
      (fixture.nativeElement as HTMLElement).querySelectorAll('[data-testid="staff-member"]'),
    ).map((li) => (li.textContent ?? '').replace(/\s+/g, ' ').trim());
    expect(members[0]).toContain('Owner · you');
    expect(members[0]).not.toContain('Remove');
    expect(members[1]).toContain('Remove');
  });

  it('puts a taken e-mail address on its field', async () => {
    typeInto(fixture, 'input[autocomplete=off]:not([type])', 'Chipo');
    typeInto(fixture, 'input[type=email]', 'r@e.co');
    typeInto(fixture, 'input[type=password]', 'Sadza2026!');
    clickButton(fixture, 'Add to staff');
    await settle(fixture);
    const req = httpMock.expectOne((r) => r.method === 'POST' && r.url === '/auth/staff');
    expect(req.request.body.role).toBe('cashier');
    flushError(req, 409, 'EmailTaken', 'Taken');
    await settle(fixture);
    expect(fieldErrors(fixture)).toEqual(['Someone already signs in with this e-mail address.']);
    expect(textOf(fixture)).not.toContain('Taken');
  });
});
