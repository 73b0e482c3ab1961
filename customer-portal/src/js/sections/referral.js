/**
 * Refer a friend: how referrals work, and a form that texts a friend an invitation
 * (`POST /referrals/invite {friend_phone_number}` → `{referral_code, …}`; rate-limited).
 *
 * What really happens, as the texts say: the friend gets an SMS with the inviter's referral
 * code; the first shop where the friend buys gets the referral as pending (the referrals
 * service learns of the purchase from loyalty); the shop confirms ("completes") it and the
 * inviter gets that shop's bonus. A friend may also give the inviter's number or code at the
 * till, which a shop accepts from its own customers.
 */

import { request } from '../api.js';
import { busy, byTestId, markInvalid, showStatus } from '../dom.js';
import { checkPhone, formatPhone, samePhone, toE164Guess } from '../phone.js';

export const INVITE_MESSAGES = {
  404: 'Invitations are not available yet. You can still tell your friends about Mubayiro.',
  422: "Your friend's phone number does not look right. Enter it like 077 123 4567 or +263 77 123 4567.",
  429: 'You have sent a lot of invitations. Please wait a while before sending another.',
};

/** Send the invitation SMS to `friendPhone` (as typed; the server normalises it). */
export function sendInvite(friendPhone) {
  return request('/referrals/invite', {
    method: 'POST',
    body: { friend_phone_number: friendPhone },
    messages: INVITE_MESSAGES,
  });
}

/** Wire the form; `setCustomer(phone)` names the signed-in customer in the explanation. */
export function initReferral() {
  const form = byTestId('invite-form');
  const input = byTestId('invite-phone');
  const submit = byTestId('invite-submit');
  const status = byTestId('invite-status');
  const ownPhoneEl = byTestId('referral-own-phone');
  let ownPhone = '';

  /** Say it where it is seen: the line under the form is scrolled into view if needed. */
  function say(message, kind) {
    showStatus(status, message, kind);
    markInvalid(input, kind === 'error' && message !== '');
    if (message) status.scrollIntoView?.({ block: 'nearest' });
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const check = checkPhone(input.value);
    if (!check.ok) {
      say(check.message.replace('your', "your friend's"), 'error');
      input.focus();
      return;
    }
    if (ownPhone && samePhone(check.value, ownPhone)) {
      say("That is your own number. Enter your friend's number.", 'error');
      input.focus();
      return;
    }
    const done = busy(submit, 'Sending…');
    say('', 'info');
    try {
      const invited = await sendInvite(check.value);
      input.value = '';
      const code = invited?.referral_code ? ` Your referral code, in the SMS: ${invited.referral_code}.` : '';
      say(
        `Invitation sent to ${formatPhone(toE164Guess(check.value))}. When they first buy at a Mubayiro shop, ` +
          `the shop can confirm your referral and you get its bonus points.${code}`,
        'success',
      );
    } catch (err) {
      say(err.notDeployed ? INVITE_MESSAGES[404] : err.message, 'error');
    } finally {
      done();
    }
  });

  return {
    setCustomer(phone) {
      ownPhone = phone;
      ownPhoneEl.textContent = formatPhone(phone);
    },
    reset() {
      ownPhone = '';
      ownPhoneEl.textContent = '';
      input.value = '';
      say('', 'info');
    },
  };
}
