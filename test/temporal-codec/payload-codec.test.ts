import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA } from '../../adapters/temporal-codec/payload-codec';

const text = new TextDecoder();
const invoice = { invoiceNo: 20001, customerName: 'Testkunde 10010 AS', amountOre: 100_050 };

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };

const metadata = (payload: Payload, name: string) => text.decode(payload.metadata?.[name] ?? new Uint8Array());

async function encrypted(codec: AesGcmPayloadCodec, value: unknown): Promise<Payload> {
  const [payload] = await codec.encode([defaultPayloadConverter.toPayload(value)]);
  return payload!;
}

async function decrypted(codec: AesGcmPayloadCodec, payload: Payload): Promise<unknown> {
  const [plain] = await codec.decode([payload]);
  return defaultPayloadConverter.fromPayload(plain!);
}

test('an encrypted payload names its key and holds nothing of the invoice in clear, and decodes to the invoice', async () => {
  const codec = new AesGcmPayloadCodec({ keys: [k1], currentKeyId: 'k1' });
  const payload = await encrypted(codec, invoice);
  expect(metadata(payload, 'encoding')).toBe(ENCRYPTED_ENCODING);
  expect(metadata(payload, KEY_ID_METADATA)).toBe('k1');
  expect(Buffer.from(payload.data!).toString('latin1')).not.toContain('Testkunde');
  await expect(decrypted(codec, payload)).resolves.toEqual(invoice);
});

test('after a rotation new payloads use the new key and payloads of the old key still decode', async () => {
  const before = new AesGcmPayloadCodec({ keys: [k1], currentKeyId: 'k1' });
  const old = await encrypted(before, invoice);
  const after = new AesGcmPayloadCodec({ keys: [k2, k1], currentKeyId: 'k2' });
  const fresh = await encrypted(after, invoice);
  expect(metadata(fresh, KEY_ID_METADATA)).toBe('k2');
  await expect(decrypted(after, old)).resolves.toEqual(invoice);
  await expect(decrypted(after, fresh)).resolves.toEqual(invoice);
});

test('a payload of a key that is not configured is refused, naming the key', async () => {
  const payload = await encrypted(new AesGcmPayloadCodec({ keys: [k1], currentKeyId: 'k1' }), invoice);
  const other = new AesGcmPayloadCodec({ keys: [k2], currentKeyId: 'k2' });
  await expect(other.decode([payload])).rejects.toThrow(/encrypted with key "k1", which is not configured/);
});

test('a payload altered in the database is refused, not decoded to something else', async () => {
  const codec = new AesGcmPayloadCodec({ keys: [k1], currentKeyId: 'k1' });
  const payload = await encrypted(codec, invoice);
  const data = Uint8Array.from(payload.data!);
  data[20] = data[20]! ^ 0x01;
  await expect(codec.decode([{ ...payload, data }])).rejects.toThrow(/failed authentication/);
});

test('a payload relabelled with another configured key id is refused', async () => {
  const codec = new AesGcmPayloadCodec({ keys: [k1, { id: 'k2', key: k1.key }], currentKeyId: 'k1' });
  const payload = await encrypted(codec, invoice);
  const relabelled = { ...payload, metadata: { ...payload.metadata, [KEY_ID_METADATA]: new TextEncoder().encode('k2') } };
  await expect(codec.decode([relabelled])).rejects.toThrow(/failed authentication/);
});

test('a payload written before the codec (no key id, json/plain) decodes as it is', async () => {
  const codec = new AesGcmPayloadCodec({ keys: [k1], currentKeyId: 'k1' });
  const plain = defaultPayloadConverter.toPayload(invoice);
  await expect(decrypted(codec, plain)).resolves.toEqual(invoice);
});

test('a current key that is not among the keys is refused at once', () => {
  expect(() => new AesGcmPayloadCodec({ keys: [k1], currentKeyId: 'k9' })).toThrow(/"k9" is not among the configured keys/);
});
