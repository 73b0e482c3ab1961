import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ApplicationRef } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { AuthStore } from './auth-store';
import { Session } from './session';

describe('Session', () => {
  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
  });

  it('loads the business from /auth/me once signed in, and forgets it on sign-out', async () => {
    const session = TestBed.inject(Session);
    const auth = TestBed.inject(AuthStore);
    const httpMock = TestBed.inject(HttpTestingController);
    TestBed.tick();
    httpMock.expectNone('/auth/me');

    auth.signIn('tok');
    TestBed.tick();
    httpMock.expectOne('/auth/me').flush({
      id: 7,
      name: 'Mbare Bakery',
      contact_person: 'Rudo',
      email: 'rudo@example.com',
      created_at: '2026-01-01T00:00:00Z',
    });
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
});
