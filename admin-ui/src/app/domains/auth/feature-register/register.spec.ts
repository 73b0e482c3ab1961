import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';

import { AuthStore } from '../../../core/auth/auth-store';
import { flushError, setUpPage } from '../../../../testing/http';
import { clickButton, fieldErrors, settle, typeInto } from '../../../../testing/dom';
import { Register } from './register';

describe('Register', () => {
  let fixture: ComponentFixture<Register>;
  let httpMock: HttpTestingController;

  beforeEach(async () => {
    localStorage.clear();
    ({ fixture, httpMock } = setUpPage(Register, { router: true }));
    await fixture.whenStable();
  });

  afterEach(() => httpMock.verify());

  function fill(values: {
    name?: string;
    contact?: string;
    email?: string;
    password?: string;
    rate?: string;
  }): void {
    typeInto(fixture, 'input[autocomplete=organization]', values.name ?? 'Mbare Bakery');
    typeInto(fixture, 'input[autocomplete=name]', values.contact ?? 'Rudo');
    typeInto(fixture, 'input[type=email]', values.email ?? 'rudo@example.com');
    typeInto(fixture, 'input[type=password]', values.password ?? 'secret12');
    typeInto(fixture, 'input[inputmode=decimal]', values.rate ?? '');
  }

  it('checks the fields like the server does and sends nothing when they are wrong', async () => {
    fill({ name: ' ', password: 'password', rate: '0.12345' });
    clickButton(fixture, 'Create account');
    await settle(fixture);
    expect(fieldErrors(fixture)).toEqual([
      'Enter the business name.',
      'Include at least one letter and one digit.',
      'Use at most 4 decimal places.',
    ]);
    httpMock.expectNone('/auth/register_business');
  });

  it('shows a duplicate email next to the email field', async () => {
    fill({});
    clickButton(fixture, 'Create account');
    await settle(fixture);
    flushError(
      httpMock.expectOne('/auth/register_business'),
      409,
      'EmailAlreadyRegistered',
      'This email is already registered',
    );
    await settle(fixture);
    expect(fieldErrors(fixture)).toEqual([
      'This email is already registered. Sign in, or use another address.',
    ]);
  });

  it('registers, then signs in straight away', async () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    fill({ rate: '1.5' });
    clickButton(fixture, 'Create account');
    await settle(fixture);
    const register = httpMock.expectOne('/auth/register_business');
    expect(register.request.body).toEqual({
      name: 'Mbare Bakery',
      contact_person: 'Rudo',
      email: 'rudo@example.com',
      password: 'secret12',
      loyalty_rate: '1.5',
    });
    register.flush({ id: 1 }, { status: 201, statusText: 'Created' });
    await settle(fixture);
    httpMock
      .expectOne('/auth/login_business')
      .flush({ access_token: 'jwt', token_type: 'bearer', expires_in: 60 });
    await settle(fixture);
    expect(TestBed.inject(AuthStore).token()).toBe('jwt');
    expect(navigate).toHaveBeenCalledWith('/till');
  });
});
