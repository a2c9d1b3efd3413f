// TOTP (RFC 6238, SHA-1, 6 digits, 30 s) through the otpauth library, with
// replay protection: a code's time step must be newer than the last one
// accepted for that person.
import { Secret, TOTP } from "otpauth";

const PERIOD_S = 30;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(secret: string, issuer: string, label: string): string {
  return new TOTP({
    issuer,
    label,
    secret: Secret.fromBase32(secret),
    period: PERIOD_S,
    digits: 6,
    algorithm: "SHA1",
  }).toString();
}

/**
 * The time step of `code` if it is valid now (one step of clock drift either
 * way) and newer than `lastStep`; undefined otherwise. `code` is untrusted.
 */
export function acceptTotp(secret: string, code: string, lastStep: number, nowMs = Date.now()): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const totp = new TOTP({ secret: Secret.fromBase32(secret), period: PERIOD_S, digits: 6, algorithm: "SHA1" });
  const delta = totp.validate({ token: code, timestamp: nowMs, window: 1 });
  if (delta === null) return undefined;
  const step = Math.floor(nowMs / 1000 / PERIOD_S) + delta;
  return step > lastStep ? step : undefined;
}
