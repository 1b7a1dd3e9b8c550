import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { ValueError } from '@temporalio/common';

/** The payload metadata our codec writes: the SDK and the Web UI's codec client leave them as they are. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const METADATA_ENCODING = 'encoding';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** One named AES-256-GCM key: the name goes into every payload it encrypts. */
export interface CodecKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

export interface CodecKeyRing {
  /** Every key that may still be found in Temporal's database (current and retired ones). */
  keys: readonly CodecKey[];
  /** The key new payloads are encrypted with. */
  currentKeyId: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Encrypts every payload (AES-256-GCM, a random 96-bit IV each) so that Temporal's database, its
 * Web UI without the codec server, and anyone reading a backup see only ciphertext: invoice inputs
 * and results carry customer names and addresses.
 *
 * The whole payload (its metadata, i.e. the payload converter's encoding, and its data) is sealed as
 * one protobuf-free JSON envelope, so decoding gives back exactly what the converter produced.
 * The key id stays in clear in the metadata: rotation adds a key and moves `currentKeyId` to it,
 * and payloads written with an older key stay readable as long as that key is configured.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly current: CodecKey;

  constructor(ring: CodecKeyRing) {
    const keys = new Map<string, Buffer>();
    for (const { id, key } of ring.keys) {
      if (key.length !== 32) throw new Error(`payload codec key "${id}" must be 32 bytes, got ${key.length}`);
      if (keys.has(id)) throw new Error(`payload codec key "${id}" is configured twice`);
      keys.set(id, key);
    }
    const current = keys.get(ring.currentKeyId);
    if (!current) throw new Error(`the current payload codec key "${ring.currentKeyId}" is not among the configured keys`);
    this.keys = keys;
    this.current = { id: ring.currentKeyId, key: current };
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  // A refusal is a rejected promise (the executor's throw), as the SDK expects of a codec.
  encode(payloads: Payload[]): Promise<Payload[]> {
    return new Promise((resolve) => resolve(payloads.map((payload) => this.encrypt(payload))));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return new Promise((resolve) => resolve(payloads.map((payload) => this.decrypt(payload))));
  }

  private encrypt(payload: Payload): Payload {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    // The key id is authenticated too: a payload relabelled with another key id fails to open.
    cipher.setAAD(Buffer.from(this.current.id, 'utf8'));
    const plain = Buffer.from(envelope(payload), 'utf8');
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return {
      metadata: {
        [METADATA_ENCODING]: encoder.encode(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: encoder.encode(this.current.id),
      },
      data: Buffer.concat([iv, body, cipher.getAuthTag()]),
    };
  }

  private decrypt(payload: Payload): Payload {
    const encoding = payload.metadata?.[METADATA_ENCODING];
    // Payloads not written by this codec pass as they are: the histories recorded before the codec
    // existed (test/fixtures/workflow-histories, and any workflow started before it was deployed)
    // hold plain json/plain payloads, and they must still replay and be readable.
    if (!encoding || decoder.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
    const rawKeyId = payload.metadata?.[KEY_ID_METADATA];
    if (!rawKeyId) throw new ValueError(`an encrypted payload has no ${KEY_ID_METADATA} in its metadata: it cannot be decrypted`);
    const keyId = decoder.decode(rawKeyId);
    const key = this.keys.get(keyId);
    if (!key) {
      throw new ValueError(
        `a payload was encrypted with key "${keyId}", which is not configured (TEMPORAL_CODEC_KEYS has ${[...this.keys.keys()].map((id) => `"${id}"`).join(', ')}): add that key to decrypt it`,
      );
    }
    const data = payload.data ?? new Uint8Array();
    if (data.length < IV_BYTES + TAG_BYTES) throw new ValueError(`an encrypted payload (key "${keyId}") is too short to be one of ours`);
    const raw = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(keyId, 'utf8'));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new ValueError(`an encrypted payload (key "${keyId}") failed authentication: it was altered, or the key "${keyId}" configured here is not the one it was written with`);
    }
    return fromEnvelope(plain.toString('utf8'));
  }
}

/** The payload as JSON with base64 bytes: no protobuf dependency, and it is the codec server's shape too. */
function envelope(payload: Payload): string {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload.metadata ?? {})) metadata[name] = Buffer.from(value).toString('base64');
  return JSON.stringify({ metadata, data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64') });
}

function fromEnvelope(text: string): Payload {
  const parsed = JSON.parse(text) as { metadata: Record<string, string>; data: string };
  const metadata: Record<string, Uint8Array> = {};
  for (const [name, value] of Object.entries(parsed.metadata)) metadata[name] = new Uint8Array(Buffer.from(value, 'base64'));
  return { metadata, data: new Uint8Array(Buffer.from(parsed.data, 'base64')) };
}
