import { UNKNOWN_REASON, importReason } from './import-reasons';

describe('importReason', () => {
  it.each([
    ["phone_number '12' is not a valid phone number", '“12” is not a valid phone number.'],
    ["phone_number '' is not a valid phone number", 'The phone number is missing.'],
    [
      `phone_number "O'Brien" is not a valid phone number`,
      "“O'Brien” is not a valid phone number.",
    ],
    ['points must not be negative', 'The points cannot be negative.'],
    ["points must be a whole number, not '1.5'", 'The points must be a whole number, not “1.5”.'],
    ["points must be a whole number, not ''", 'The points are missing.'],
    ['points must be at most 10000000', 'At most 10,000,000 points per customer.'],
    [
      "points (200000) are above your business's limit of 100000 per transaction (the platform's operator sets it)",
      "200,000 points is more than your limit of 100,000 points per award (the platform's operator can raise it).",
    ],
    [
      'note must be at most 200 characters of visible text',
      'The note must be at most 200 characters of plain text.',
    ],
    ['expected 2 columns, found 3', 'This line has 3 columns; the header has 2.'],
    [
      '+263771234567 is already on line 2',
      '+263 77 123 4567 is already on line 2 (the first line counts).',
    ],
    [
      'the row cannot be read as CSV: unexpected end of data',
      'This line is not valid CSV: check its quotes.',
    ],
  ])('words %j for people', (reason, words) => {
    expect(importReason(reason)).toBe(words);
  });

  it('never shows a reason it does not know', () => {
    expect(importReason('Input should be a valid integer')).toBe(UNKNOWN_REASON);
  });
});
