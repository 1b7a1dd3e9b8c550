import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { EncryptedSecret } from '../../domain/client-settings';

/**
 * Client keys are passwords to a client's books: they are sealed with AES-256-GCM before they
 * leave the onboarding command and only opened inside activities, so workflow history, the
 * Temporal database and the Web UI only ever hold ciphertext.
 */
export class SecretCipher {
  private readonly key: Buffer;

  constructor(
    base64Key: string,
    readonly keyId: string,
  ) {
    this.key = Buffer.from(base64Key, 'base64');
    if (this.key.length !== 32) throw new Error('the client-key encryption key must be 32 bytes, base64-encoded');
  }

  seal(plain: string): EncryptedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return { keyId: this.keyId, sealed: Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64'), fingerprint: this.fingerprint(plain) };
  }

  open(secret: EncryptedSecret): string {
    if (secret.keyId !== this.keyId) {
      throw new Error(`this secret was sealed with key "${secret.keyId}", but the worker has key "${this.keyId}" (CLIENT_KEY_ENCRYPTION_KEY_ID)`);
    }
    const raw = Buffer.from(secret.sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
  }

  fingerprint(plain: string): string {
    return createHmac('sha256', this.key).update(plain).digest('hex');
  }
}
