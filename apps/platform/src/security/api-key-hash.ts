import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * HMAC-SHA256 keyed by a per-key random salt. Secrets are 256 random bits, so a slow password hash (scrypt, argon2)
 * would add no protection against guessing, only latency on every authenticated request and a CPU lever for anyone
 * sending bogus keys. The salt makes equal secrets hash differently and precomputed tables useless.
 */
export const API_KEY_HASH_ALGORITHM = 'hmac-sha256';

export function generateApiKeySalt(): string {
  return randomBytes(16).toString('hex');
}

export function hashApiKeySecret(secret: string, salt: string): string {
  return createHmac('sha256', Buffer.from(salt, 'hex')).update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of the secret's hash with the stored one. */
export function verifyApiKeySecret(secret: string, salt: string, storedHash: string): boolean {
  const actual = Buffer.from(hashApiKeySecret(secret, salt), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
