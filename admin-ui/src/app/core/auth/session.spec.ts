import { HttpTestingController } from '@angular/common/http/testing';
import { ApplicationRef } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { setUpHttp } from '../../../testing/http';
import { fakeJwt } from '../../../testing/tokens';
import { BUSINESS_ME } from '../../../testing/wire';
import { AuthStore } from './auth-store';
import { Session } from './session';

describe('Session', () => {
  beforeEach(() => {
    localStorage.clear();
    setUpHttp();
  });

  it('loads the business from /auth/me once signed in, and forgets it on sign-out', async () => {
    const session = TestBed.inject(Session);
    const auth = TestBed.inject(AuthStore);
    const httpMock = TestBed.inject(HttpTestingController);
    TestBed.tick();
    httpMock.expectNone('/auth/me');

    auth.signIn('tok');
    TestBed.tick();
    httpMock.expectOne('/auth/me').flush(BUSINESS_ME);
    await TestBed.inject(ApplicationRef).whenStable();
    expect(session.businessId()).toBe(7);
    expect(session.business()?.contactPerson).toBe('Rudo');

    auth.signOut();
    TestBed.tick();
    expect(session.business()).toBeNull();
  });

  it('exposes a readable error when /auth/me fails', async () => {
    const session = TestBed.inject(Session);
    TestBed.inject(AuthStore).signIn('tok');
    TestBed.tick();
    TestBed.inject(HttpTestingController)
      .expectOne('/auth/me')
      .flush('', { status: 503, statusText: 'Unavailable' });
    await TestBed.inject(ApplicationRef).whenStable();
    expect(session.error()).toBe('The service is unavailable right now. Try again in a moment.');
  });

  it('keeps the business (and the page under it) through a token renewal', async () => {
    const session = TestBed.inject(Session);
    const auth = TestBed.inject(AuthStore);
    const httpMock = TestBed.inject(HttpTestingController);
    auth.signIn({
      accessToken: fakeJwt({ business_id: 7, staff_id: 2, jti: 'a' }),
      refreshToken: 'r',
    });
    TestBed.tick();
    httpMock.expectOne('/auth/me').flush(BUSINESS_ME);
    await TestBed.inject(ApplicationRef).whenStable();

    auth.signIn({
      accessToken: fakeJwt({ business_id: 7, staff_id: 2, jti: 'b' }),
      refreshToken: 's',
    });
    auth.signIn({ accessToken: 'unreadable', refreshToken: 's' });
    TestBed.tick();
    httpMock.expectNone('/auth/me');
    expect(session.businessId()).toBe(7);
  });
});
