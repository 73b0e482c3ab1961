/**
 * What a failed call means, in words for the person at the till — never the server's own
 * text, which is written for developers ("Input should be less than or equal to 1000000")
 * and may change with any backend release.
 *
 * `humanMessage` picks, in order: the caller's sentence for the error's name or status (it
 * knows the context: "This reset link has expired"), the app's sentence for a known error
 * name, then a sentence per status. `fieldMessage` does the same for one invalid field of a
 * 422, by the backend's field name.
 */
import { ApiError, toApiError } from '../../../core/http/api-error';

/** The caller's sentences, by error name (`"InsufficientPoints"`) or status (`404`). */
export type MessageOverrides = Readonly<Record<string | number, string>>;

const BY_CODE: Readonly<Record<string, string>> = {
  InsufficientPoints: "The customer doesn't have enough points for this.",
  CustomerNotFound: 'No customer with this number yet.',
  RewardNotFound: 'This reward is no longer offered.',
  RewardInactive: 'This reward is no longer offered.',
  RewardCostMismatch: "This reward's cost has just changed. Check it and try again.",
  CustomerCodeRequired: "The customer's code is needed to use their points.",
  InvalidCustomerCode: 'That code is not right. Check it with the customer, or send a new one.',
  BusinessNotActive:
    'Your business is waiting for approval: points cannot be awarded or redeemed yet.',
  OwnerOnly: 'Only the owner can do this.',
  IdempotencyInFlight: 'Still working on the previous try. Wait a moment and try again.',
  DuplicateEmail: 'Someone already uses this e-mail address.',
  EmailTaken: 'Someone already uses this e-mail address.',
};

const BY_STATUS: Readonly<Record<number, string>> = {
  0: "Can't reach the server. Check your connection and try again.",
  401: 'Please sign in again.',
  403: "You don't have access to this.",
  404: 'Not found.',
  409: 'That conflicts with the current data. Reload and try again.',
  422: 'Some of the details are not valid. Check them and try again.',
  428: "The customer's code is needed to use their points.",
  429: 'Too many attempts. Wait a moment and try again.',
  502: 'The service is unavailable right now. Try again in a moment.',
  503: 'The service is unavailable right now. Try again in a moment.',
  504: 'The service took too long to answer. Try again in a moment.',
};

/** A sentence for `error` (anything a call threw), fit to show a person. */
export function humanMessage(error: unknown, overrides: MessageOverrides = {}): string {
  const apiError = toApiError(error);
  const code = apiError.code;
  return (
    (code ? overrides[code] : undefined) ??
    overrides[apiError.status] ??
    (code ? BY_CODE[code] : undefined) ??
    BY_STATUS[apiError.status] ??
    'Something went wrong. Try again.'
  );
}

/**
 * The app's sentence for each field a 422 names, from `messages` (by the backend's field
 * name, `amount_spent`); a field not in `messages` is left out.
 */
export function fieldMessages(
  error: ApiError,
  messages: Readonly<Record<string, string>>,
): Record<string, string> {
  const found: Record<string, string> = {};
  if (error.status !== 422) {
    return found;
  }
  for (const problem of error.fieldProblems) {
    const name = problem.field.split('.').pop() ?? problem.field;
    if (messages[name] && !found[name]) {
      found[name] = messages[name];
    }
  }
  return found;
}
