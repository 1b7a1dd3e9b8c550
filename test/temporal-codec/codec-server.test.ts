import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { AesGcmPayloadCodec } from '../../adapters/temporal-codec/payload-codec';
import { buildCodecServer, SESSION_COOKIE } from '../../client/codec-server/server';

const TOKEN = 'a-codec-token-for-this-test-0123';
const UI = 'http://localhost:8233';
const invoice = { invoiceNo: 20001, customerName: 'Testkunde 10010 AS' };

let app: FastifyInstance;
let url: string;
const codec = new AesGcmPayloadCodec({ keys: [{ id: 'k1', key: randomBytes(32) }], currentKeyId: 'k1' });

beforeAll(async () => {
  app = buildCodecServer({ codec, authToken: TOKEN, corsOrigins: [UI], logger: pino({ level: 'silent' }) });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => app.close());

/** A payload in the codec-server protocol's JSON: metadata values and data in base64. */
function protocolJson(payload: Payload) {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
  };
}

const asJson = (value: unknown) => protocolJson(defaultPayloadConverter.toPayload(value));

const post = (path: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers }, body: JSON.stringify(body) });

test('encode then decode over HTTP gives back the payload, and the encoded one is binary/encrypted', async () => {
  const encoded = (await (await post('/encode', { payloads: [asJson(invoice)] })).json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
  expect(Buffer.from(encoded.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
  expect(Buffer.from(encoded.payloads[0]!.data, 'base64').toString('latin1')).not.toContain('Testkunde');

  const decoded = await post('/decode', encoded);
  expect(decoded.status).toBe(200);
  expect(await decoded.json()).toEqual({ payloads: [asJson(invoice)] });
  // Only the last part of the path counts (the protocol): mounted behind a proxy, it answers the same.
  expect(await (await post('/codec/default/decode', encoded)).json()).toEqual({ payloads: [asJson(invoice)] });
});

test('without the token, or with another, decoding is refused with 401', async () => {
  const body = { payloads: [asJson(invoice)] };
  expect((await post('/decode', body, {})).status).toBe(401);
  expect((await post('/decode', body, { authorization: 'Bearer not-the-token-at-all-000000' })).status).toBe(401);
});

test("the Web UI's preflight from its origin is allowed with the protocol's headers; another origin is not", async () => {
  const preflight = (origin: string) =>
    fetch(`${url}/decode`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' } });
  const allowed = await preflight(UI);
  expect(allowed.status).toBe(204);
  expect(allowed.headers.get('access-control-allow-origin')).toBe(UI);
  expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
  expect(allowed.headers.get('access-control-allow-headers')).toMatch(/X-Namespace/);
  expect(allowed.headers.get('access-control-allow-headers')).toMatch(/Content-Type/);

  const other = await preflight('http://evil.example');
  expect(other.status).toBe(403);
  expect(other.headers.get('access-control-allow-origin')).toBeNull();
});

test('after signing in at /login with the token, the session cookie lets the browser decode', async () => {
  const wrong = await fetch(`${url}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=nope', redirect: 'manual' });
  expect(wrong.status).toBe(401);
  expect(wrong.headers.get('set-cookie')).toBeNull();

  const login = await fetch(`${url}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${TOKEN}` });
  const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
  expect(cookie.startsWith(`${SESSION_COOKIE}=`)).toBe(true);
  const [encoded] = await codec.encode([defaultPayloadConverter.toPayload(invoice)]);
  const decoded = await post('/decode', { payloads: [protocolJson(encoded!)] }, { cookie, origin: UI });
  expect(decoded.status).toBe(200);
  expect(decoded.headers.get('access-control-allow-origin')).toBe(UI);
  expect(await decoded.json()).toEqual({ payloads: [asJson(invoice)] });
});

test('a body that is not the protocol, or not JSON, is a 400 saying what is wrong', async () => {
  const notProtocol = await post('/decode', { items: [] });
  expect(notProtocol.status).toBe(400);
  expect(await notProtocol.json()).toEqual({ error: 'payloads: expected {"payloads": [...]}' });
  const badBase64 = await post('/decode', { payloads: [{ data: 'not base64!' }] });
  expect(badBase64.status).toBe(400);
  expect(await badBase64.json()).toEqual({ error: 'payloads.0.data: expected base64' });
  const notJson = await fetch(`${url}/decode`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: '{' });
  expect(notJson.status).toBe(400);
});

test('a body over the limit is refused with 413', async () => {
  const big = { payloads: [{ data: Buffer.alloc(5 * 1024 * 1024).toString('base64') }] };
  expect((await post('/decode', big)).status).toBe(413);
});

test('a payload of a key the server does not have is a 422 naming the key id', async () => {
  const other = new AesGcmPayloadCodec({ keys: [{ id: 'k0', key: randomBytes(32) }], currentKeyId: 'k0' });
  const [encoded] = await other.encode([defaultPayloadConverter.toPayload(invoice)]);
  const answer = await post('/decode', { payloads: [protocolJson(encoded!)] });
  expect(answer.status).toBe(422);
  expect(((await answer.json()) as { error: string }).error).toMatch(/encrypted with key "k0", which is not configured/);
});
