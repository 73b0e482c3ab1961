import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';

import { settle } from '../../../testing/dom';
import { AuthStore } from '../auth/auth-store';
import { Session } from '../auth/session';
import { Shell } from './shell';

describe('Shell', () => {
  let fixture: ComponentFixture<Shell>;
  let httpMock: HttpTestingController;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        {
          provide: Session,
          useValue: {
            business: signal({ id: 3, name: 'Mbare Bakery', email: 'r@e.co' }),
            businessId: signal(3),
            error: signal(null),
            reload: () => undefined,
          },
        },
      ],
    });
    httpMock = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(Shell);
    fixture.detectChanges();
    TestBed.tick();
  });

  function navLabels(): string[] {
    return Array.from((fixture.nativeElement as HTMLElement).querySelectorAll('aside nav a')).map(
      (a) => (a.textContent ?? '').trim(),
    );
  }

  it('hides the SMS outbox when the outbox route answers 404', async () => {
    httpMock
      .expectOne((r) => r.url === '/notifications/outbox')
      .flush({ detail: 'Not Found' }, { status: 404, statusText: 'Not Found' });
    await settle(fixture);
    expect(navLabels()).toEqual([
      'Dashboard',
      'Customers',
      'Rewards',
      'Reports',
      'Referrals',
      'AI recommendations',
    ]);
  });

  it('shows the SMS outbox in development', async () => {
    httpMock.expectOne((r) => r.url === '/notifications/outbox').flush([]);
    await settle(fixture);
    expect(navLabels()).toContain('SMS outbox');
  });

  it('signs out and returns to /login', async () => {
    httpMock.expectOne((r) => r.url === '/notifications/outbox').flush([]);
    const auth = TestBed.inject(AuthStore);
    auth.signIn('tok');
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const button = Array.from(
      (fixture.nativeElement as HTMLElement).querySelectorAll('aside button'),
    ).find((b) => b.textContent?.includes('Sign out')) as HTMLButtonElement;
    button.click();
    expect(auth.signedIn()).toBe(false);
    expect(navigate).toHaveBeenCalledWith(['/login']);
  });
});
