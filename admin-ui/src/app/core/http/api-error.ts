/**
 * The platform's error shape, decoded once.
 *
 * Every service answers `{"detail": "...", "error": "InsufficientPoints"}`; a 422 also carries
 * `errors: [{field, message, type}]`. `toApiError` turns whatever HttpClient threw (including a
 * network failure, status 0, or a gateway page that is not JSON) into an `ApiError` whose
 * `detail` is always a sentence fit to show a person — never raw JSON.
 */
import { HttpErrorResponse } from '@angular/common/http';

/** One invalid field of a 422 answer, as the backend names it (`customer_phone_number`). */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
  readonly type?: string;
}

/** Statuses meaning "the gateway or a service is down", not "your request was wrong". */
export const UNAVAILABLE_STATUSES: ReadonlySet<number> = new Set([0, 502, 503, 504]);

/** A failed API call, in the platform's terms. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    /** The error's class name from the body (`"InsufficientPoints"`), when there was one. */
    readonly code: string | null = null,
    readonly fieldProblems: readonly FieldProblem[] = [],
  ) {
    super(detail);
    this.name = 'ApiError';
  }

  /** True when the gateway or the service could not be reached (0/502/503/504). */
  get unavailable(): boolean {
    return UNAVAILABLE_STATUSES.has(this.status);
  }
}

const FALLBACK_DETAIL: Record<number, string> = {
  0: "Can't reach the server. Check your connection and try again.",
  401: 'Please sign in again.',
  403: "You don't have access to this.",
  404: 'Not found.',
  409: 'That conflicts with the current data.',
  422: 'Some of the details are not valid.',
  429: 'Too many attempts. Wait a moment and try again.',
  502: 'The service is unavailable right now. Try again in a moment.',
  503: 'The service is unavailable right now. Try again in a moment.',
  504: 'The service took too long to answer. Try again in a moment.',
};

function fallbackDetail(status: number): string {
  return FALLBACK_DETAIL[status] ?? 'Something went wrong. Try again.';
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function readFieldProblems(value: unknown): FieldProblem[] {
  if (!Array.isArray(value)) {
    return [];
  }
  const problems: FieldProblem[] = [];
  for (const item of value) {
    const record = asRecord(item);
    if (record && typeof record['message'] === 'string') {
      problems.push({
        field: typeof record['field'] === 'string' ? record['field'] : '',
        message: record['message'],
        type: typeof record['type'] === 'string' ? record['type'] : undefined,
      });
    }
  }
  return problems;
}

/** Decode anything HttpClient (or our own code) threw into an `ApiError`. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) {
    return error;
  }
  if (!(error instanceof HttpErrorResponse)) {
    return new ApiError(-1, 'Something went wrong. Try again.');
  }
  const status = error.status;
  const body = asRecord(error.error);
  if (!body || (UNAVAILABLE_STATUSES.has(status) && typeof body['detail'] !== 'string')) {
    return new ApiError(status, fallbackDetail(status));
  }
  const problems = readFieldProblems(body['errors']);
  let detail = typeof body['detail'] === 'string' ? body['detail'] : '';
  if (!detail && problems.length > 0) {
    detail = problems.map((p) => p.message).join('; ');
  }
  const code = typeof body['error'] === 'string' ? body['error'] : null;
  return new ApiError(status, detail || fallbackDetail(status), code, problems);
}
