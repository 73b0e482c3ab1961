/**
 * The TestBed of a spec that talks HTTP, in one call: the real `HttpClient` (with the
 * interceptors the spec names) over Angular's testing backend, a router when a page needs
 * one, a signed-in business in place of `Session`, and the platform's error answers in one
 * line — so each spec says only what it is about.
 */
import { HttpInterceptorFn, provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  TestRequest,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { EnvironmentProviders, Provider, Type, signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { Session } from '../app/core/auth/session';

/** What a spec's TestBed holds besides the HTTP client. */
export interface HttpSetup {
  /** Interceptors the client runs (none unless named). */
  readonly interceptors?: HttpInterceptorFn[];
  /** An empty router, for pages with links or navigation. */
  readonly router?: boolean;
  readonly providers?: (Provider | EnvironmentProviders)[];
}

/** Configure the TestBed with `HttpClient` on the testing backend; return the backend. */
export function setUpHttp(setup: HttpSetup = {}): HttpTestingController {
  TestBed.configureTestingModule({
    providers: [
      ...(setup.router ? [provideRouter([])] : []),
      provideHttpClient(withInterceptors(setup.interceptors ?? [])),
      provideHttpClientTesting(),
      ...(setup.providers ?? []),
    ],
  });
  return TestBed.inject(HttpTestingController);
}

/**
 * A service (store or API client) under test, after `setUpHttp`: injected, then one tick so
 * the loads its effects and resources start are already waiting on the backend.
 */
export function setUpService<T>(
  type: Type<T>,
  setup: HttpSetup = {},
): { readonly service: T; readonly httpMock: HttpTestingController } {
  const httpMock = setUpHttp({ ...setup, providers: [...(setup.providers ?? []), type] });
  const service = TestBed.inject(type);
  TestBed.tick();
  return { service, httpMock };
}

/**
 * `setUpService` before each test of the `describe` it is called in, and the backend checked
 * after each for a request nobody answered: `const bed = useService(LedgerClient)`, then
 * `bed.service` and `bed.httpMock` in the tests.
 */
export function useService<T>(
  type: Type<T>,
  setup: HttpSetup = {},
): { readonly service: T; readonly httpMock: HttpTestingController } {
  const bed = {} as { service: T; httpMock: HttpTestingController };
  beforeEach(() => Object.assign(bed, setUpService(type, setup)));
  afterEach(() => bed.httpMock.verify());
  return bed;
}

/** A page under test, after `setUpHttp`: created, not yet rendered (the spec decides how). */
export function setUpPage<T>(
  type: Type<T>,
  setup: HttpSetup = {},
): { readonly fixture: ComponentFixture<T>; readonly httpMock: HttpTestingController } {
  const httpMock = setUpHttp(setup);
  return { fixture: TestBed.createComponent(type), httpMock };
}

/**
 * Business 3 signed in, in place of `Session` (which would ask `/auth/me`); `extra` adds
 * what else the page reads from it (`business`).
 */
export function businessSession(extra: object = {}): Provider {
  return { provide: Session, useValue: { businessId: signal(3), ...extra } };
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** Answer `request` with the platform's error shape, `{detail, error}`, and `status`. */
export function flushError(
  request: TestRequest,
  status: number,
  error: string,
  detail = 'Refused',
): void {
  request.flush({ detail, error }, { status, statusText: STATUS_TEXT[status] ?? 'Error' });
}
