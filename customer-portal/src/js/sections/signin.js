/**
 * Sign in with your phone: the number gets a one-time code by SMS
 * (`POST /auth/customer/otp/request` → 202), the code is exchanged for a token
 * (`POST /auth/customer/otp/verify` → `{access_token}`), kept in sessionStorage.
 */

import { ApiError, request, setToken } from '../api.js';
import { busy, byTestId, markInvalid, showStatus } from '../dom.js';
import { customerFromToken } from '../jwt.js';
import { checkPhone, formatPhone, toE164Guess } from '../phone.js';

export const OTP_REQUEST_MESSAGES = {
  404: 'Sign-in is not available right now. Please try again later.',
  422: 'That phone number does not look right. Enter it like 077 123 4567 or +263 77 123 4567.',
  429: 'Too many codes were asked for this number. Please wait a few minutes, then try again.',
};

export const OTP_VERIFY_MESSAGES = {
  401: 'That code is not right, or it has expired. Check the SMS, or ask for a new code.',
  404: 'Sign-in is not available right now. Please try again later.',
  422: 'Enter the 6-digit code from the SMS.',
  429: 'Too many wrong codes. Ask for a new code and try again in a few minutes.',
};

/** Ask for a code to be sent to `phone` (as typed; the server normalises it). */
export function requestCode(phone) {
  return request('/auth/customer/otp/request', {
    method: 'POST',
    body: { phone_number: phone },
    auth: false,
    messages: OTP_REQUEST_MESSAGES,
  });
}

/** Exchange the code for a token; returns the access token string. */
export async function verifyCode(phone, code) {
  const data = await request('/auth/customer/otp/verify', {
    method: 'POST',
    body: { phone_number: phone, code },
    auth: false,
    messages: OTP_VERIFY_MESSAGES,
  });
  if (!data || typeof data.access_token !== 'string') {
    throw new ApiError(500, 'Sign-in did not work. Please try again.');
  }
  return data.access_token;
}

/** "123 456" → "123456"; null unless it is six digits. */
export function cleanCode(raw) {
  const code = String(raw ?? '').replace(/\s/g, '');
  return /^\d{6}$/.test(code) ? code : null;
}

/** Wire the sign-in forms; `onSignedIn(customer)` runs once a token is stored. */
export function initSignIn({ onSignedIn }) {
  const phoneForm = byTestId('phone-form');
  const phoneInput = byTestId('phone-input');
  const sendButton = byTestId('send-code-button');
  const codeForm = byTestId('code-form');
  const codeInput = byTestId('code-input');
  const verifyButton = byTestId('verify-button');
  const sentTo = byTestId('code-sent-to');
  const status = byTestId('signin-status');
  let phone = null;

  function showPhoneStep() {
    phoneForm.hidden = false;
    codeForm.hidden = true;
    codeInput.value = '';
    markInvalid(phoneInput, false);
    markInvalid(codeInput, false);
  }

  /** An error about `input`: said as an alert, the field marked and focused. */
  function fieldError(input, message) {
    showStatus(status, message, 'error');
    markInvalid(input, true);
    input.focus();
  }

  async function send(value) {
    const done = busy(sendButton, 'Sending…');
    showStatus(status, '');
    markInvalid(phoneInput, false);
    try {
      await requestCode(value);
      phone = value;
      sentTo.textContent = formatPhone(toE164Guess(value));
      phoneForm.hidden = true;
      codeForm.hidden = false;
      codeInput.value = '';
      codeInput.focus();
      showStatus(status, 'We sent you an SMS with a 6-digit code. It may take a minute to arrive.', 'success');
    } catch (err) {
      if (err.status === 422) fieldError(phoneInput, err.message);
      else showStatus(status, err.message, 'error');
    } finally {
      done();
    }
  }

  phoneForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const check = checkPhone(phoneInput.value);
    if (!check.ok) {
      fieldError(phoneInput, check.message);
      return;
    }
    send(check.value);
  });

  codeForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const code = cleanCode(codeInput.value);
    if (!code) {
      fieldError(codeInput, OTP_VERIFY_MESSAGES[422]);
      return;
    }
    const done = busy(verifyButton, 'Checking…');
    showStatus(status, '');
    markInvalid(codeInput, false);
    try {
      const token = await verifyCode(phone, code);
      const customer = customerFromToken(token);
      if (!customer) throw new ApiError(500, 'Sign-in did not work. Please try again.');
      setToken(token);
      showStatus(status, '');
      onSignedIn(customer);
    } catch (err) {
      // A wrong or malformed code is about the field; anything else (too many tries, the
      // service down) is not, but the cursor goes back to the code either way.
      if (err.status === 401 || err.status === 422) fieldError(codeInput, err.message);
      else showStatus(status, err.message, 'error');
      codeInput.select();
    } finally {
      done();
    }
  });

  byTestId('resend-code-button').addEventListener('click', () => {
    if (phone) send(phone);
  });
  byTestId('change-number-button').addEventListener('click', () => {
    showStatus(status, '');
    showPhoneStep();
    phoneInput.focus();
  });

  return {
    /** Back to an empty phone step (after signing out). */
    reset() {
      phone = null;
      phoneInput.value = '';
      showStatus(status, '');
      showPhoneStep();
    },
    /** Put the cursor in the phone field (after signing out). */
    focus() {
      phoneInput.focus();
    },
  };
}
