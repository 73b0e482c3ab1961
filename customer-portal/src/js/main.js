/**
 * The portal's entry point: reads the deployment's settings (`config.json`), then shows
 * sign-in or the customer's sections and moves between them. Each section loads on its
 * own, so one missing service never breaks the page.
 */

import { clearToken, getToken, onUnauthorized } from './api.js';
import { loadConfig, smsNumberText } from './config.js';
import { byTestId, showStatus } from './dom.js';
import { customerFromToken } from './jwt.js';
import { formatPhone } from './phone.js';
import { initChat } from './sections/chat.js';
import { initPoints } from './sections/points.js';
import { initRecommendations } from './sections/recommendations.js';
import { initReferral } from './sections/referral.js';
import { initRewards, shopsFromHistory } from './sections/rewards.js';
import { initSignIn } from './sections/signin.js';

const SESSION_ENDED = 'Your session has ended. Please sign in again.';
const MAX_TIMER_MS = 2 ** 31 - 1;

// Preloaded by the page (<link rel="preload">), so this costs no extra round trip; every
// money amount, date and the SMS number depend on it.
await loadConfig();
byTestId('sms-number').textContent = smsNumberText();

const signInView = byTestId('signin-view');
const portalView = byTestId('portal-view');
const signOutButton = byTestId('sign-out');
const banner = byTestId('error-banner');
const bannerText = byTestId('error-banner-text');

const points = initPoints();
const rewards = initRewards();
const recommendations = initRecommendations();
const referral = initReferral();
const chat = initChat();
const signIn = initSignIn({ onSignedIn: enterPortal });

/** Cancels everything the current session started (requests, the expiry timer). */
let session = null;

function showBanner(message) {
  showStatus(bannerText, message, 'error');
  banner.hidden = !message;
}

function enterPortal(customer) {
  session?.abort();
  session = new AbortController();
  const { signal } = session;
  showBanner('');
  signInView.hidden = true;
  portalView.hidden = false;
  signOutButton.hidden = false;
  byTestId('customer-phone').textContent = formatPhone(customer.phone);
  referral.setCustomer(customer.phone);

  if (customer.expiresAt) {
    const ms = Math.min(customer.expiresAt * 1000 - Date.now(), MAX_TIMER_MS);
    const timer = setTimeout(() => signOut(SESSION_ENDED), Math.max(ms, 0));
    signal.addEventListener('abort', () => clearTimeout(timer));
  }

  // My shops come from my history, which the points section loads anyway.
  const history = points.load(customer.phone, signal);
  rewards.load(
    customer.phone,
    signal,
    history.then((result) => shopsFromHistory(result?.history?.rows ?? result?.transactions ?? [])),
  );
  recommendations.load(customer.phone, signal);
  chat.start(signal);
  byTestId('points-heading').focus();
}

/** Back to sign-in, with nothing of the last customer left on screen; `focus` moves the cursor to the phone field. */
function signOut(message = '', { focus = true } = {}) {
  session?.abort();
  session = null;
  clearToken();
  for (const section of [points, rewards, recommendations, referral, chat]) section.reset();
  byTestId('customer-phone').textContent = '';
  portalView.hidden = true;
  signOutButton.hidden = true;
  signInView.hidden = false;
  signIn.reset();
  showBanner(message);
  if (focus) signIn.focus();
}

onUnauthorized(() => {
  if (session) signOut(SESSION_ENDED);
});
signOutButton.addEventListener('click', () => signOut());
byTestId('error-banner-close').addEventListener('click', () => showBanner(''));

const customer = customerFromToken(getToken());
if (customer) enterPortal(customer);
else signOut('', { focus: false }); // a fresh page: the skip link and the page come first
