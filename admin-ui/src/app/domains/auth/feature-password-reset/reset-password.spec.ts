import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture } from '@angular/core/testing';
import { ActivatedRoute } from '@angular/router';

import { flushError, setUpPage } from '../../../../testing/http';
import { clickButton, fieldErrors, settle, textOf, typeInto } from '../../../../testing/dom';
import { ResetPassword } from './reset-password';

describe('ResetPassword', () => {
  let fixture: ComponentFixture<ResetPassword>;
  let httpMock: HttpTestingController;

  function open(fragment: string | null, token?: string): void {
    ({ fixture, httpMock } = setUpPage(ResetPassword, {
      router: true,
      providers: [{ provide: ActivatedRoute, useValue: { snapshot: { fragment } } }],
    }));
    if (token) {
      fixture.componentRef.setInput('token', token);
    }
    fixture.detectChanges();
  }

  afterEach(() => httpMock.verify());

  it('takes the token from the link’s fragment and sets the new password', async () => {
    open('token=abc-123');
    typeInto(fixture, 'input[type=password]', 'NewPass123');
    const inputs = (fixture.nativeElement as HTMLElement).querySelectorAll('input');
    inputs[1].value = 'NewPass123';
    inputs[1].dispatchEvent(new Event('input'));
    clickButton(fixture, 'Save new password');
    await settle(fixture);
    const req = httpMock.expectOne('/auth/password_reset/confirm');
    expect(req.request.body).toEqual({ token: 'abc-123', password: 'NewPass123' });
    req.flush(null, { status: 204, statusText: 'No Content' });
    await settle(fixture);
    expect(textOf(fixture, '[data-testid="reset-done"]')).toContain(
      'Your password has been changed',
    );
  });

  it('checks the two passwords match before sending anything', async () => {
    open(null, 'abc');
    typeInto(fixture, 'input[type=password]', 'NewPass123');
    clickButton(fixture, 'Save new password');
    await settle(fixture);
    expect(fieldErrors(fixture)).toEqual(['The two passwords are different.']);
    httpMock.expectNone('/auth/password_reset/confirm');
  });

  it('says a used or expired link plainly and offers a new one', async () => {
    open(null, 'old');
    const inputs = (fixture.nativeElement as HTMLElement).querySelectorAll('input');
    for (const input of Array.from(inputs)) {
      input.value = 'NewPass123';
      input.dispatchEvent(new Event('input'));
    }
    fixture.detectChanges();
    clickButton(fixture, 'Save new password');
    await settle(fixture);
    flushError(
      httpMock.expectOne('/auth/password_reset/confirm'),
      400,
      'InvalidResetToken',
      'Token expired',
    );
    await settle(fixture);
    expect(textOf(fixture, '[data-testid="form-error"]')).toBe(
      'This reset link has expired or was already used.',
    );
    expect(textOf(fixture)).toContain('Send a new link');
  });

  it('says when the link has no token at all', () => {
    open(null);
    expect(textOf(fixture)).toContain('This link is incomplete.');
  });
});
