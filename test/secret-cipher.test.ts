import { randomBytes } from 'node:crypto';
import { SecretCipher } from '../adapters/secrets/secret-cipher';

describe('client keys sealed at rest', () => {
  const cipher = new SecretCipher(randomBytes(32).toString('base64'), 'k1');

  test('a sealed key opens to the same key, and the sealed text does not contain it', () => {
    const sealed = cipher.seal('my-very-secret-client-key');
    expect(cipher.open(sealed)).toBe('my-very-secret-client-key');
    expect(JSON.stringify(sealed)).not.toContain('my-very-secret-client-key');
    expect(Buffer.from(sealed.sealed, 'base64').toString('latin1')).not.toContain('secret');
  });

  test('sealing the same key twice gives different ciphertext but the same fingerprint', () => {
    const a = cipher.seal('same-key');
    const b = cipher.seal('same-key');
    expect(a.sealed).not.toBe(b.sealed);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(cipher.seal('other-key').fingerprint).not.toBe(a.fingerprint);
  });

  test('a tampered ciphertext is refused, not decrypted into garbage', () => {
    const sealed = cipher.seal('key');
    const bytes = Buffer.from(sealed.sealed, 'base64');
    bytes[14] = bytes[14]! ^ 0xff;
    expect(() => cipher.open({ ...sealed, sealed: bytes.toString('base64') })).toThrow();
  });

  test('a key sealed under another key id names both ids', () => {
    const other = new SecretCipher(randomBytes(32).toString('base64'), 'k2');
    expect(() => cipher.open(other.seal('key'))).toThrow('this secret was sealed with key "k2", but the worker has key "k1"');
  });

  test('an encryption key of the wrong size is refused at start-up', () => {
    expect(() => new SecretCipher(randomBytes(16).toString('base64'), 'k')).toThrow('32 bytes');
  });
});
