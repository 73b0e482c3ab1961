import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { WritableSignal, signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';

import { settle } from '../../../testing/dom';
import { AuthStore } from '../auth/auth-store';
import { Session } from '../auth/session';
import { Shell } from './shell';
import { fakeJwt } from '../../../testing/tokens';

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
      'Till',
      'Customers',
      'Rewards',
      'Reports',
      'Referrals',
      'Overview',
      'Recommendations',
      'Staff',
      'Import & export',
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
    await settle(fixture);
    expect(auth.signedIn()).toBe(false);
    expect(navigate).toHaveBeenCalledWith(['/login']);
  });

  it('shows a cashier only the till, customers and referrals', async () => {
    TestBed.inject(AuthStore).signIn(fakeJwt({ role: 'cashier', business_id: 3, staff_id: 5 }));
    httpMock.expectOne((r) => r.url === '/notifications/outbox').flush([]);
    await settle(fixture);
    expect(navLabels()).toEqual(['Till', 'Customers', 'Referrals']);
  });

  it('opens "More" as a dialog: focus moves in, Escape closes it and focus returns', async () => {
    httpMock.expectOne((r) => r.url === '/notifications/outbox').flush([]);
    await settle(fixture);
    const root = fixture.nativeElement as HTMLElement;
    const more = Array.from(root.querySelectorAll('button')).find((b) =>
      b.textContent?.includes('More'),
    ) as HTMLButtonElement;
    more.click();
    await settle(fixture);
    const sheet = root.querySelector('[role="dialog"]') as HTMLElement;
    expect(sheet.getAttribute('aria-modal')).toBe('true');
    expect(sheet.contains(document.activeElement)).toBe(true);
    expect(more.getAttribute('aria-expanded')).toBe('true');
    sheet.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await settle(fixture);
    expect(root.querySelector('[role="dialog"]')).toBeNull();
    expect(document.activeElement).toBe(more);
  });

  it('has a skip link that moves focus to the page content', async () => {
    httpMock.expectOne((r) => r.url === '/notifications/outbox').flush([]);
    await settle(fixture);
    const root = fixture.nativeElement as HTMLElement;
    const skip = root.querySelector('a') as HTMLAnchorElement;
    expect(skip.textContent?.trim()).toBe('Skip to content');
    skip.click();
    expect(document.activeElement?.id).toBe('main-content');
  });

  it('says when the business awaits approval', async () => {
    httpMock.expectOne((r) => r.url === '/notifications/outbox').flush([]);
    (TestBed.inject(Session).business as WritableSignal<object>).set({
      id: 3,
      name: 'Mbare Bakery',
      email: 'r@e.co',
      status: 'pending',
    });
    await settle(fixture);
    expect(
      (fixture.nativeElement as HTMLElement).querySelector('[data-testid="business-status"]')
        ?.textContent,
    ).toContain('waiting for approval');
  });
});
