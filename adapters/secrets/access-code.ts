import { createHmac } from 'node:crypto';

/**
 * The one-time access code in an e-mail with a link (alternative 1). Derived, not stored: an
 * HMAC of the invoice's identity under a secret only the worker holds, so a retried or re-run send
 * carries the same code, and the code never appears in workflow history, IDs or logs.
 */
export function accessCodeFor(secret: string, clientId: string, invoiceId: string): string {
  const digest = createHmac('sha256', secret).update(`access-code\n${clientId}\n${invoiceId}`).digest();
  return (digest.readBigUInt64BE(0) % 100_000_000n).toString().padStart(8, '0');
}
