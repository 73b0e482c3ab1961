import { HttpErrorResponse } from '@angular/common/http';

import { ApiError, toApiError } from './api-error';

function httpError(status: number, error: unknown): HttpErrorResponse {
  return new HttpErrorResponse({ status, error, url: '/x' });
}

describe('toApiError', () => {
  it('reads detail, error name and 422 field problems', () => {
    const error = toApiError(
      httpError(422, {
        detail: 'amount_spent: must be > 0',
        error: 'ValidationError',
        errors: [{ field: 'amount_spent', message: 'must be > 0', type: 'greater_than' }],
      }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(422);
    expect(error.code).toBe('ValidationError');
    expect(error.fieldProblems).toEqual([
      { field: 'amount_spent', message: 'must be > 0', type: 'greater_than' },
    ]);
  });

  it('turns a network failure into a readable sentence', () => {
    const error = toApiError(httpError(0, new ProgressEvent('error')));
    expect(error.unavailable).toBe(true);
    expect(error.detail).toMatch(/Can't reach the server/);
  });

  it('never shows a gateway page or raw JSON', () => {
    expect(toApiError(httpError(502, '<html>Bad Gateway</html>')).detail).toBe(
      'The service is unavailable right now. Try again in a moment.',
    );
    expect(toApiError(httpError(409, { detail: [{ msg: 'x' }] })).detail).toBe(
      'That conflicts with the current data.',
    );
  });

  it('keeps a service detail on 503 when there is one', () => {
    expect(
      toApiError(httpError(503, { detail: 'Reports is starting', error: 'UpstreamUnavailable' }))
        .detail,
    ).toBe('Reports is starting');
  });
});
