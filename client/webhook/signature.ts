import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The partner signs each webhook call (adapters/distribution/partner-api.ts):
 * `X-FF-Timestamp: <unix seconds>` and `X-FF-Signature: sha256=<hex>`, the HMAC-SHA256 with the
 * shared secret over `${timestamp}.${rawBody}`. The timestamp is inside the signature, so an
 * old request cannot be made fresh; a fresh one replayed within the window carries the same
 * eventId and is deduplicated further on.
 */
export const TIMESTAMP_HEADER = 'x-ff-timestamp';
export const SIGNATURE_HEADER = 'x-ff-signature';

export type SignatureCheck =
  | { valid: true }
  | { valid: false; reason: 'missing or malformed timestamp' | 'missing or malformed signature' | 'signature mismatch' | 'timestamp outside the allowed window' };

export interface SignedRequest {
  timestamp: string | string[] | undefined;
  signature: string | string[] | undefined;
  rawBody: Buffer;
}

const TIMESTAMP = /^\d{1,12}$/;
const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

export function checkSignature(request: SignedRequest, secret: string, nowSeconds: number, maxSkewSeconds: number): SignatureCheck {
  const { timestamp, signature } = request;
  if (typeof timestamp !== 'string' || !TIMESTAMP.test(timestamp)) return { valid: false, reason: 'missing or malformed timestamp' };
  const hex = typeof signature === 'string' ? SIGNATURE.exec(signature)?.[1] : undefined;
  if (hex === undefined) return { valid: false, reason: 'missing or malformed signature' };
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(request.rawBody).digest();
  // Both are 32 bytes (the regex saw 64 hex digits); compared in constant time.
  if (!timingSafeEqual(expected, Buffer.from(hex, 'hex'))) return { valid: false, reason: 'signature mismatch' };
  // Checked after the signature, so "stale" is only ever said of a request the partner really sent.
  if (Math.abs(nowSeconds - Number(timestamp)) > maxSkewSeconds) return { valid: false, reason: 'timestamp outside the allowed window' };
  return { valid: true };
}
