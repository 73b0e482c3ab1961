/**
 * Why a line of a balance import is refused, in the page's words. The loyalty service
 * reports each bad line with a reason written for developers ("phone_number '12' is not a
 * valid phone number"); the known reasons are reworded here with what they carry (the
 * number typed, the line it repeats, the limit), and an unknown one gets a general sentence —
 * the server's own text is never shown.
 */
import { formatPhone } from '../../shared/util/phone';

/** The sentence for a reason this page does not know. */
export const UNKNOWN_REASON = 'This line cannot be imported: check its phone number and points.';

type Reword = (match: RegExpExecArray) => string;

const REASONS: readonly (readonly [RegExp, Reword])[] = [
  [
    /^phone_number (['"])(.*)\1 is not a valid phone number$/s,
    (m) =>
      m[2].trim() === ''
        ? 'The phone number is missing.'
        : `“${m[2]}” is not a valid phone number.`,
  ],
  [/^points must not be negative$/, () => 'The points cannot be negative.'],
  [
    /^points must be a whole number, not (['"])(.*)\1$/s,
    (m) =>
      m[2] === '' ? 'The points are missing.' : `The points must be a whole number, not “${m[2]}”.`,
  ],
  [/^points are missing$/, () => 'The points are missing.'],
  [/^points must be at most (\d+)$/, (m) => `At most ${group(m[1])} points per customer.`],
  [
    /^points \((\d+)\) are above your business's limit of (\d+) per transaction/,
    (m) =>
      `${group(m[1])} points is more than your limit of ${group(m[2])} points per award ` +
      "(the platform's operator can raise it).",
  ],
  [
    /^note must be at most (\d+) characters/,
    (m) => `The note must be at most ${m[1]} characters of plain text.`,
  ],
  [
    /^expected (\d+) columns, found (\d+)$/,
    (m) => `This line has ${m[2]} columns; the header has ${m[1]}.`,
  ],
  [
    /^(\+\d+) is already on line (\d+)$/,
    (m) => `${formatPhone(m[1])} is already on line ${m[2]} (the first line counts).`,
  ],
  [/^the row cannot be read as CSV/, () => 'This line is not valid CSV: check its quotes.'],
];

function group(digits: string): string {
  return Number(digits).toLocaleString('en-US');
}

/** The page's sentence for the server's `reason` of a refused line. */
export function importReason(reason: string): string {
  for (const [pattern, reword] of REASONS) {
    const match = pattern.exec(reason);
    if (match) {
      return reword(match);
    }
  }
  return UNKNOWN_REASON;
}
