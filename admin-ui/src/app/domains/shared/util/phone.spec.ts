import { cleanPhone, formatPhone } from './phone';

describe('formatPhone', () => {
  it('formats Zimbabwe numbers as +263 77 123 4567', () => {
    expect(formatPhone('+263771234567')).toBe('+263 77 123 4567');
    expect(formatPhone('0771234567')).toBe('+263 77 123 4567');
  });

  it('leaves other numbers and empty values readable', () => {
    expect(formatPhone('+447911123456')).toBe('+447911123456');
    expect(formatPhone(null)).toBe('');
  });
});

describe('cleanPhone', () => {
  it('removes spaces, dashes, dots and brackets', () => {
    expect(cleanPhone(' +263 (77) 123-45.67 ')).toBe('+263771234567');
  });
});
