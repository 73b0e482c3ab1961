import {
  amountProblem,
  emailProblem,
  nameProblem,
  passwordProblem,
  phoneProblem,
  pointsProblem,
  rateProblem,
} from './validators';

describe('phoneProblem', () => {
  it.each([
    '0771234567',
    '+263771234567',
    '+263 77 123 4567',
    '077-123-4567',
    '00263771234567',
    '+447911123456',
  ])('accepts %s', (phone) => expect(phoneProblem(phone)).toBeNull());

  it.each([
    ['', 'Enter the phone number.'],
    ['077123456', 'A local number has 10 digits, e.g. 0771234567.'],
    ['+26377123456', 'A +263 number has 9 digits after +263.'],
    ['07712a4567', 'Use digits only, e.g. 0771234567 or +263 77 123 4567.'],
    ['771234567', 'Start with 0 (local) or + and the country code.'],
  ])('refuses %j', (phone, message) => expect(phoneProblem(phone)).toBe(message));
});

describe('amountProblem', () => {
  it.each(['25', '25.5', '25.50', '0.01', ' 1000 '])('accepts %j', (amount) =>
    expect(amountProblem(amount)).toBeNull(),
  );

  it('refuses zero, negatives, 3 decimals and text', () => {
    expect(amountProblem('0')).toBe('The amount must be more than 0.');
    expect(amountProblem('0.00')).toBe('The amount must be more than 0.');
    expect(amountProblem('-5')).toBe('Enter an amount like 25 or 25.50.');
    expect(amountProblem('2.505')).toBe('Use at most 2 decimal places.');
    expect(amountProblem('ten')).toBe('Enter an amount like 25 or 25.50.');
    expect(amountProblem('')).toBe('Enter the amount spent.');
  });
});

describe('passwordProblem', () => {
  it('accepts 8+ characters with a letter and a digit', () => {
    expect(passwordProblem('secret12')).toBeNull();
    expect(passwordProblem('a1'.repeat(64))).toBeNull();
  });

  it('refuses short, long, letter-only and digit-only passwords', () => {
    expect(passwordProblem('abc123')).toBe('Use at least 8 characters.');
    expect(passwordProblem('a1'.repeat(64) + 'x')).toBe('Use at most 128 characters.');
    expect(passwordProblem('onlyletters')).toBe('Include at least one letter and one digit.');
    expect(passwordProblem('12345678')).toBe('Include at least one letter and one digit.');
  });
});

describe('rateProblem', () => {
  it.each(['0', '1', '1.5', '0.1234', '1000'])('accepts %j', (rate) =>
    expect(rateProblem(rate)).toBeNull(),
  );

  it('refuses negatives, 5 decimals, too large and text', () => {
    expect(rateProblem('-1')).toBe('The rate cannot be negative.');
    expect(rateProblem('0.12345')).toBe('Use at most 4 decimal places.');
    expect(rateProblem('1000.5')).toBe('The rate can be at most 1000.');
    expect(rateProblem('abc')).toBe('Enter a number like 1 or 0.25.');
    expect(rateProblem('')).toBe('Enter a rate, e.g. 1 or 0.5.');
  });
});

describe('emailProblem', () => {
  it('accepts an address and refuses junk', () => {
    expect(emailProblem('owner@example.com')).toBeNull();
    expect(emailProblem('owner@example')).toMatch(/valid email/);
    expect(emailProblem('')).toBe('Enter your email address.');
  });
});

describe('nameProblem', () => {
  it('accepts 1–120 characters after trimming', () => {
    expect(nameProblem('Bakery', 'a name')).toBeNull();
    expect(nameProblem('x'.repeat(120))).toBeNull();
    expect(nameProblem('   ', 'the business name')).toBe('Enter the business name.');
    expect(nameProblem('x'.repeat(121))).toBe('Use at most 120 characters.');
    expect(nameProblem('Tab\there')).toBe('Remove special control characters.');
  });
});

describe('pointsProblem', () => {
  it('accepts whole positive numbers only', () => {
    expect(pointsProblem('100')).toBeNull();
    expect(pointsProblem('0')).toBe('Enter at least 1 point.');
    expect(pointsProblem('1.5')).toBe('Points are whole numbers.');
    expect(pointsProblem('')).toBe('Enter the number of points.');
  });
});
