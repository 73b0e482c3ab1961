/**
 * Which platform service answers an API path, for messages such as "Reports is unavailable".
 * Mirrors the gateway's routing table (docs/architecture.md, "Gateway").
 */
const SERVICE_BY_PREFIX: readonly (readonly [string, string])[] = [
  ['/auth', 'Sign-in'],
  ['/businesses', 'Loyalty'],
  ['/transactions', 'Loyalty'],
  ['/customers', 'Loyalty'],
  ['/referrals', 'Referrals'],
  ['/reports', 'Reports'],
  ['/notifications', 'Notifications'],
  ['/sms', 'Notifications'],
];

/** The human name of the service behind `url`, or "The server" when the path is unknown. */
export function serviceForUrl(url: string): string {
  const path = url.split('?')[0];
  for (const [prefix, name] of SERVICE_BY_PREFIX) {
    if (path === prefix || path.startsWith(prefix + '/')) {
      return name;
    }
  }
  return 'The server';
}
