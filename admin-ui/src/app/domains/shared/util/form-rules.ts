/**
 * Bridges the pure validators in `validators.ts` to Signal Forms, and server answers back to
 * form fields: a 422's `errors[].field` lands on the matching control, anything unmatched
 * becomes the form's own message. The words are always the app's own (`messages` per field,
 * `humanMessage` for the form), never the server's text, which is written for developers.
 */
import { WritableSignal } from '@angular/core';
import { FieldTree, SchemaPath, ValidationError, validate } from '@angular/forms/signals';

import { ApiError, toApiError } from '../../../core/http/api-error';
import { MessageOverrides, humanMessage } from './messages';

/** A field the server refused without the caller naming a sentence for it. */
export const FIELD_REFUSED = 'This value is not accepted. Check it and try again.';

/** Attach a `(value) => message | null` rule to a string field of a Signal Form schema. */
export function rule(path: SchemaPath<string>, problem: (value: string) => string | null): void {
  validate(path, ({ value }) => {
    const message = problem(value());
    return message ? { kind: 'rule', message } : null;
  });
}

/** The fields a form exposes to server errors, by the backend's field name. */
export type ServerFieldMap = Readonly<
  Record<string, FieldTree<unknown> | FieldTree<string> | FieldTree<boolean>>
>;

/** Server errors split into per-field submission errors and a message for the whole form. */
export interface MappedServerErrors {
  readonly fieldErrors: ValidationError.WithOptionalFieldTree[];
  readonly formMessage: string | null;
}

function lookup(fields: ServerFieldMap, name: string): FieldTree<unknown> | undefined {
  if (fields[name]) {
    return fields[name] as FieldTree<unknown>;
  }
  // "body.customer_phone_number" or "items.0.name": try the last plain segment.
  const last = name
    .split('.')
    .filter((part) => !/^\d+$/.test(part))
    .pop();
  return last && fields[last] ? (fields[last] as FieldTree<unknown>) : undefined;
}

/** How a form words the server's refusals. */
export interface ServerErrorWords {
  /** The control a 409 belongs to (a duplicate email), by the backend's field name. */
  readonly conflictField?: string;
  /** The sentence for that 409. */
  readonly conflictMessage?: string;
  /** The sentence for each field a 422 may name, by the backend's field name. */
  readonly messages?: Readonly<Record<string, string>>;
  /** The form's sentence for an error name or status (`{ 401: 'Wrong email or password.' }`). */
  readonly overrides?: MessageOverrides;
  /** What did not happen, opening the form's message ("Not added."). */
  readonly notDone?: string;
}

/**
 * Map an `ApiError` onto form fields. 422 field problems go to their controls with the form's
 * sentence for that field; `conflictField` names the control a 409 belongs to; everything else
 * is a form message in the app's words.
 */
export function mapServerErrors(
  error: ApiError,
  fields: ServerFieldMap,
  options: ServerErrorWords = {},
): MappedServerErrors {
  const fieldErrors: ValidationError.WithOptionalFieldTree[] = [];
  const unmatched: string[] = [];
  const formMessage = [options.notDone, humanMessage(error, options.overrides)]
    .filter(Boolean)
    .join(' ');
  if (error.status === 422 && error.fieldProblems.length > 0) {
    for (const problem of error.fieldProblems) {
      const field = lookup(fields, problem.field);
      const name = problem.field.split('.').pop() ?? problem.field;
      const message = options.messages?.[name] ?? FIELD_REFUSED;
      if (field) {
        fieldErrors.push({ kind: 'server', message, fieldTree: field });
      } else if (!unmatched.includes(formMessage)) {
        unmatched.push(formMessage);
      }
    }
  } else if (error.status === 409 && options.conflictField && fields[options.conflictField]) {
    fieldErrors.push({
      kind: 'server',
      message: options.conflictMessage ?? formMessage,
      fieldTree: fields[options.conflictField] as FieldTree<unknown>,
    });
  } else {
    unmatched.push(formMessage);
  }
  return { fieldErrors, formMessage: unmatched.length > 0 ? unmatched.join(' ') : null };
}

/** What a Signal Forms submission action returns: the fields' server errors, or nothing. */
export type SubmitResult = ValidationError.WithOptionalFieldTree[] | undefined;

/**
 * A form's submission that the server may refuse: clears the form's message, runs `send`, and
 * when it throws, puts the refusal where it belongs (`mapServerErrors`): the fields' errors are
 * returned (Signal Forms shows them on their controls) and what no field can show goes to
 * `problem`. Returns `undefined` when `send` succeeded.
 */
export async function submitOrExplain(
  problem: WritableSignal<string | null>,
  send: () => Promise<unknown>,
  fields: ServerFieldMap = {},
  words: ServerErrorWords = {},
): Promise<SubmitResult> {
  problem.set(null);
  try {
    await send();
    return undefined;
  } catch (error) {
    const mapped = mapServerErrors(toApiError(error), fields, words);
    problem.set(mapped.formMessage);
    return mapped.fieldErrors;
  }
}
