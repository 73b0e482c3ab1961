import { expiryDaysProblem, expiryText, toExpiryDays } from './expiry';

describe('point expiry', () => {
  it('takes whole days from 1 to 3650, or nothing for never', () => {
    expect(expiryDaysProblem('')).toBeNull();
    expect(expiryDaysProblem(' 365 ')).toBeNull();
    expect(expiryDaysProblem('1')).toBeNull();
    expect(expiryDaysProblem('3650')).toBeNull();
    expect(expiryDaysProblem('0')).toBe('Enter from 1 to 3650 days, or leave it empty.');
    expect(expiryDaysProblem('3651')).toBe('Enter from 1 to 3650 days, or leave it empty.');
    expect(expiryDaysProblem('1.5')).toBe('Enter a whole number of days, or leave it empty.');
    expect(expiryDaysProblem('-3')).toBe('Enter a whole number of days, or leave it empty.');
  });

  it('sends null for never and reads the rule in words', () => {
    expect(toExpiryDays('  ')).toBeNull();
    expect(toExpiryDays('90')).toBe(90);
    expect(expiryText(null)).toBe('Points never expire.');
    expect(expiryText(1)).toBe('Points expire 1 day after they are earned.');
    expect(expiryText(1000)).toBe('Points expire 1,000 days after they are earned.');
  });
});
