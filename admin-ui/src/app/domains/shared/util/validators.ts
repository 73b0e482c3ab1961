/**
 * Field rules mirroring the backend's validation (services/auth and loyalty schemas), as pure
 * functions returning a message or null, so they are trivial to test and to reuse in any form.
 * The server stays the authority: its 422 answers are shown on the same fields.
 */
export { phoneProblem } from './phone';

const EMAIL_MAX = 254;
const PASSWORD_MIN = 8;
const PASSWORD_MAX = 128;
const NAME_MAX = 120;
const RATE_MAX = 1000;
const POINTS_MAX = 10_000_000;

/** Email: syntax only (the server normalises and lowercases). */
export function emailProblem(raw: string): string | null {
  const value = raw.trim();
  if (value === '') {
    return 'Enter your email address.';
  }
  if (value.length > EMAIL_MAX || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
    return 'Enter a valid email address, e.g. owner@example.com.';
  }
  return null;
}

/** A new password: 8–128 characters with at least one letter and one digit. */
export function passwordProblem(raw: string): string | null {
  if (raw.length < PASSWORD_MIN) {
    return `Use at least ${PASSWORD_MIN} characters.`;
  }
  if (raw.length > PASSWORD_MAX) {
    return `Use at most ${PASSWORD_MAX} characters.`;
  }
  if (!/\p{L}/u.test(raw) || !/\p{Nd}/u.test(raw)) {
    return 'Include at least one letter and one digit.';
  }
  return null;
}

/** A name or contact person: 1–120 characters after trimming, no control characters. */
export function nameProblem(raw: string, label = 'a name'): string | null {
  const value = raw.trim();
  if (value === '') {
    return `Enter ${label}.`;
  }
  if (value.length > NAME_MAX) {
    return `Use at most ${NAME_MAX} characters.`;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    return 'Remove special control characters.';
  }
  return null;
}

/** An amount of money: more than 0, at most 2 decimal places. */
export function amountProblem(raw: string): string | null {
  const value = raw.trim();
  if (value === '') {
    return 'Enter the amount spent.';
  }
  if (!/^\d+(\.\d{1,2})?$/.test(value)) {
    return /^\d*\.\d{3,}$/.test(value)
      ? 'Use at most 2 decimal places.'
      : 'Enter an amount like 25 or 25.50.';
  }
  if (Number(value) <= 0) {
    return 'The amount must be more than 0.';
  }
  return null;
}

/** A loyalty rate (points per unit of money): 0 or more, at most 4 decimal places. */
export function rateProblem(raw: string): string | null {
  const value = raw.trim();
  if (value === '') {
    return 'Enter a rate, e.g. 1 or 0.5.';
  }
  if (!/^\d+(\.\d{1,4})?$/.test(value)) {
    return /^\d*\.\d{5,}$/.test(value)
      ? 'Use at most 4 decimal places.'
      : value.startsWith('-')
        ? 'The rate cannot be negative.'
        : 'Enter a number like 1 or 0.25.';
  }
  if (Number(value) > RATE_MAX) {
    return `The rate can be at most ${RATE_MAX}.`;
  }
  return null;
}

/** A number of points: a whole number greater than 0. */
export function pointsProblem(raw: string): string | null {
  const value = raw.trim();
  if (value === '') {
    return 'Enter the number of points.';
  }
  if (!/^\d+$/.test(value)) {
    return 'Points are whole numbers.';
  }
  const points = Number(value);
  if (points <= 0) {
    return 'Enter at least 1 point.';
  }
  if (points > POINTS_MAX) {
    return `At most ${POINTS_MAX.toLocaleString('en-US')} points at a time.`;
  }
  return null;
}

/** Free text with a length cap; `required` makes empty text a problem. */
export function textProblem(
  raw: string,
  max: number,
  label: string,
  required = true,
): string | null {
  const value = raw.trim();
  if (required && value === '') {
    return `Enter ${label}.`;
  }
  if (value.length > max) {
    return `Use at most ${max} characters.`;
  }
  return null;
}
