import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';

import { AuthStore } from '../../../core/auth/auth-store';
import { flushError, setUpPage } from '../../../../testing/http';
import { clickButton, fieldErrors, settle, textOf, typeInto } from '../../../../testing/dom';
import { SignIn } from './sign-in';

describe('SignIn', () => {
  let fixture: ComponentFixture<SignIn>;
  let httpMock: HttpTestingController;

  beforeEach(async () => {
    localStorage.clear();
    ({ fixture, httpMock } = setUpPage(SignIn, { router: true }));
    await fixture.whenStable();
  });

  afterEach(() => httpMock.verify());

  it('shows what is wrong and sends nothing for bad input', async () => {
    typeInto(fixture, 'input[type=email]', 'not-an-email');
    clickButton(fixture, 'Sign in');
    await settle(fixture);
    expect(fieldErrors(fixture)).toEqual([
      'Enter a valid email address, e.g. owner@example.com.',
      'Enter your password.',
    ]);
    httpMock.expectNone('/auth/login_business');
  });

  it('signs in, keeps the tokens and goes to the till', async () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    typeInto(fixture, 'input[type=email]', 'owner@example.com');
    typeInto(fixture, 'input[type=password]', 'secret12');
    clickButton(fixture, 'Sign in');
    await settle(fixture);
    httpMock.expectOne('/auth/login_business').flush({
      access_token: 'jwt-1',
      token_type: 'bearer',
      expires_in: 900,
      refresh_token: 'refresh-1',
    });
    await settle(fixture);
    expect(TestBed.inject(AuthStore).token()).toBe('jwt-1');
    expect(TestBed.inject(AuthStore).refreshToken()).toBe('refresh-1');
    expect(navigate).toHaveBeenCalledWith('/till');
  });

  it('shows a wrong password as a form message', async () => {
    typeInto(fixture, 'input[type=email]', 'owner@example.com');
    typeInto(fixture, 'input[type=password]', 'wrong-pass1');
    clickButton(fixture, 'Sign in');
    await settle(fixture);
    flushError(
      httpMock.expectOne('/auth/login_business'),
      401,
      'Unauthorized',
      'Invalid credentials',
    );
    await settle(fixture);
    expect(textOf(fixture, '[data-testid="form-error"]')).toBe('Wrong email or password.');
    expect(TestBed.inject(AuthStore).signedIn()).toBe(false);
  });

  it('puts a 422 field error next to its field', async () => {
    typeInto(fixture, 'input[type=email]', 'owner@example.com');
    typeInto(fixture, 'input[type=password]', 'secret12');
    clickButton(fixture, 'Sign in');
    await settle(fixture);
    httpMock.expectOne('/auth/login_business').flush(
      {
        detail: 'email: not a valid email address',
        error: 'ValidationError',
        errors: [
          { field: 'email', message: 'not a valid email address (domain)', type: 'value_error' },
        ],
      },
      { status: 422, statusText: 'Unprocessable Entity' },
    );
    await settle(fixture);
    expect(fieldErrors(fixture)).toEqual(['Enter a valid email address, e.g. owner@example.com.']);
  });
});
