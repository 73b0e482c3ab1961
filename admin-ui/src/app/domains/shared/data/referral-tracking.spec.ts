import { asReferralCode, referredByProblem, referrerFields } from './referral-tracking';

describe('referred by', () => {
  it('reads a referral code in any spelling the SMS invites', () => {
    expect(asReferralCode('k7p-x2m')).toBe('K7PX2M');
    expect(asReferralCode(' K7P X2M ')).toBe('K7PX2M');
    expect(asReferralCode('K7PX2')).toBeNull();
    expect(asReferralCode('K7PX2I')).toBeNull(); // no I, L, O, 0 or 1 in codes
  });

  it('accepts empty, a phone number or a code, and nothing else', () => {
    expect(referredByProblem('')).toBeNull();
    expect(referredByProblem('077 123 4567')).toBeNull();
    expect(referredByProblem('k7px2m')).toBeNull();
    // Not 'my aunt': without the space it is MYAUNT, a well-formed code.
    expect(referredByProblem('my uncle')).toBe(
      "Enter the referrer's phone number or their 6-character referral code.",
    );
  });

  it('sends a code as the code and anything else as the phone number', () => {
    expect(referrerFields('k7p-x2m')).toEqual({ referral_code_used: 'K7PX2M' });
    expect(referrerFields('077 123 4567')).toEqual({ referrer_phone_number: '0771234567' });
  });
});
