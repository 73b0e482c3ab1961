/** Unsigned JWTs for specs: the app only reads a token's claims, the server checks it. */

/** A token whose payload is `claims` (`exp`, `role`, `business_id`, …). */
export function fakeJwt(claims: object): string {
  const encode = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '');
  return `${encode({ alg: 'RS256' })}.${encode(claims)}.sig`;
}
