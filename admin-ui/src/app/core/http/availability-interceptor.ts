/**
 * Raises the error banner when the gateway or a service is down (status 0/502/503/504) and
 * clears that service's notice when one of its calls succeeds. Requests marked `QUIET` handle
 * their own failures and are left alone.
 */
import { HttpErrorResponse, HttpInterceptorFn, HttpResponse } from '@angular/common/http';
import { inject } from '@angular/core';
import { tap } from 'rxjs';

import { UNAVAILABLE_STATUSES } from './api-error';
import { ErrorBanner } from './error-banner';
import { QUIET, isApiUrl } from './http-context';
import { serviceForUrl } from './service-names';

export const availabilityInterceptor: HttpInterceptorFn = (req, next) => {
  if (!isApiUrl(req.url)) {
    return next(req);
  }
  const banner = inject(ErrorBanner);
  const service = serviceForUrl(req.url);
  const quietRequest = req.context.get(QUIET);
  return next(req).pipe(
    tap({
      next: (event) => {
        if (event instanceof HttpResponse) {
          banner.clear(service);
        }
      },
      error: (error: unknown) => {
        if (
          !quietRequest &&
          error instanceof HttpErrorResponse &&
          UNAVAILABLE_STATUSES.has(error.status)
        ) {
          banner.report(service, error.status);
        }
      },
    }),
  );
};
