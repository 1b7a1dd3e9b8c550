import { gunzipSync, gzipSync } from 'node:zlib';
import type { SecretCipher } from '../adapters/secrets/secret-cipher';
import type { EncryptedSecret } from '../domain/client-settings';

/**
 * The client's EHF as it travels through the invoice's history, from the PowerOffice read to the
 * activities that use it: compressed, then sealed. It is handed to several activities (assessment,
 * send, write-back) and each hand-over is a payload of its own, so its size counts several times
 * per invoice on the Temporal server and in every cached workflow; UBL XML shrinks to about a fifth.
 */
export function sealEhf(cipher: SecretCipher, xml: string): EncryptedSecret {
  return cipher.seal(gzipSync(Buffer.from(xml, 'utf8')).toString('base64'));
}

/** Opens what sealEhf sealed; an EHF sealed as plain XML (before it was compressed) opens as it is. */
export function openEhf(cipher: SecretCipher, sealed: EncryptedSecret): string {
  const opened = cipher.open(sealed);
  if (opened.trimStart().startsWith('<')) return opened;
  return gunzipSync(Buffer.from(opened, 'base64')).toString('utf8');
}
