import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture } from '@angular/core/testing';

import { setUpPage } from '../../../../testing/http';
import { clickButton, settle, textOf, typeInto } from '../../../../testing/dom';
import { ForgotPassword } from './forgot-password';

describe('ForgotPassword', () => {
  let fixture: ComponentFixture<ForgotPassword>;
  let httpMock: HttpTestingController;

  beforeEach(() => {
    ({ fixture, httpMock } = setUpPage(ForgotPassword, { router: true }));
    fixture.detectChanges();
  });

  afterEach(() => httpMock.verify());

  it('asks for a link and says the same thing whether the address is known or not', async () => {
    typeInto(fixture, 'input[type=email]', 'owner@example.com');
    clickButton(fixture, 'Send reset link');
    await settle(fixture);
    const req = httpMock.expectOne('/auth/password_reset/request');
    expect(req.request.body).toEqual({ email: 'owner@example.com' });
    req.flush({ detail: 'If an account uses this address…' }, { status: 202, statusText: 'OK' });
    await settle(fixture);
    expect(textOf(fixture, '[data-testid="reset-sent"]')).toContain(
      'If owner@example.com has an account, a reset link is on its way.',
    );
  });

  it('says so when this server cannot reset passwords yet', async () => {
    typeInto(fixture, 'input[type=email]', 'owner@example.com');
    clickButton(fixture, 'Send reset link');
    await settle(fixture);
    httpMock
      .expectOne('/auth/password_reset/request')
      .flush({ detail: 'Not Found' }, { status: 404, statusText: 'Not Found' });
    await settle(fixture);
    expect(textOf(fixture, '[data-testid="form-error"]')).toContain('not available');
  });
});
