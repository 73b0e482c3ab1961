import { flushError, useService } from '../../../../testing/http';
import { ApiError } from '../../../core/http/api-error';
import { AuthClient } from './auth-client';

describe('AuthClient', () => {
  const bed = useService(AuthClient);

  it('logs in with JSON credentials and returns the tokens', async () => {
    const token = bed.service.login(' owner@example.com ', 'secret12');
    const req = bed.httpMock.expectOne('/auth/login_business');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ email: 'owner@example.com', password: 'secret12' });
    req.flush({ access_token: 'jwt', token_type: 'bearer', expires_in: 900, refresh_token: 'r' });
    expect(await token).toEqual({ accessToken: 'jwt', refreshToken: 'r' });
  });

  it('works with an auth service that gives no refresh token', async () => {
    const token = bed.service.login('owner@example.com', 'secret12');
    bed.httpMock
      .expectOne('/auth/login_business')
      .flush({ access_token: 'jwt', token_type: 'bearer', expires_in: 3600 });
    expect(await token).toEqual({ accessToken: 'jwt', refreshToken: null });
  });

  it('asks for a password reset link and sets a new password with its token', async () => {
    const asked = bed.service.requestPasswordReset(' owner@example.com ');
    const ask = bed.httpMock.expectOne('/auth/password_reset/request');
    expect(ask.request.body).toEqual({ email: 'owner@example.com' });
    ask.flush(null, { status: 202, statusText: 'Accepted' });
    await asked;
    const done = bed.service.confirmPasswordReset('tok-1', 'NewPass123');
    const confirm = bed.httpMock.expectOne('/auth/password_reset/confirm');
    expect(confirm.request.body).toEqual({ token: 'tok-1', password: 'NewPass123' });
    confirm.flush(null, { status: 204, statusText: 'No Content' });
    await done;
  });

  it('registers with the backend field names, leaving out an empty rate', async () => {
    const done = bed.service.register({
      name: ' Bakery ',
      contactPerson: 'Rudo',
      email: 'rudo@example.com',
      password: 'secret12',
      loyaltyRate: '',
    });
    const req = bed.httpMock.expectOne('/auth/register_business');
    expect(req.request.body).toEqual({
      name: 'Bakery',
      contact_person: 'Rudo',
      email: 'rudo@example.com',
      password: 'secret12',
    });
    req.flush({ id: 1 }, { status: 201, statusText: 'Created' });
    await done;
  });

  it('sends the first loyalty rate as a decimal string', async () => {
    const done = bed.service.register({
      name: 'B',
      contactPerson: 'R',
      email: 'r@e.co',
      password: 'secret12',
      loyaltyRate: '1.5',
    });
    const req = bed.httpMock.expectOne('/auth/register_business');
    expect(req.request.body.loyalty_rate).toBe('1.5');
    req.flush({ id: 1 }, { status: 201, statusText: 'Created' });
    await done;
  });

  it('rejects a duplicate email with the server detail', async () => {
    const done = bed.service.register({
      name: 'B',
      contactPerson: 'R',
      email: 'r@e.co',
      password: 'secret12',
    });
    flushError(
      bed.httpMock.expectOne('/auth/register_business'),
      409,
      'EmailTaken',
      'Email already registered',
    );
    await expect(done).rejects.toEqual(new ApiError(409, 'Email already registered', 'EmailTaken'));
  });
});
