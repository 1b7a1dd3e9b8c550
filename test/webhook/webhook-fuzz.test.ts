import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import got from 'got';
import type { ServiceUnderTest } from '../helpers/service';
import { startLocalTemporal } from '../helpers/temporal';
import { openedEventFor, sign, signalsReceived, startWaitingInvoices, startWebhook, type LogLine, type WaitingInvoice } from './real-waiting-invoice';

/**
 * A bounded fuzz of the `invoice.opened` webhook on loopback: REQUESTS calls from a fixed seed,
 * each a valid event mutated (wrong types, huge strings, unicode, missing fields, bad signatures
 * and timestamps, wrong content types, truncated or non-JSON bodies), in front of the real invoice
 * workflow waiting for "opened". No answer may be a 5xx, only an accepted call may signal, every
 * refusal carries a sentence, and the webhook is healthy at the end.
 */
const REQUESTS = 3000;
const SEED = 0x9e3779b9;
const CONCURRENCY = 16;

const http = got.extend({ throwHttpErrors: false, retry: { limit: 0 }, responseType: 'text', timeout: { request: 20_000 } });

/** mulberry32: a tiny PRNG, so a failure can be reproduced from SEED and the request's number. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (random: Random, max: number) => Math.floor(random() * max);

const STRANGE_TEXT = ['', ' ', '\u0000', '\ud800', '😀'.repeat(50), 'ÆØÅ æøå', '\u202e1001', '<script>', '../../', 'evt_ok', '1001-c8d2e3f4', 'NaN', '-1', '0'.repeat(40)];
const STRANGE_VALUES: readonly unknown[] = [null, true, 0, -1, 1.5, 1e308, 2 ** 53 + 1, [], {}, [1, 2], { a: 1 }, '', 'x'.repeat(70_000), ...STRANGE_TEXT];
const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', ''];
type Json = Record<string, unknown>;
const FIELDS = ['eventId', 'type', 'deliveryId', 'reference', 'openedAt', 'reference.clientId', 'reference.invoiceId', 'reference.invoiceNo'] as const;

function getField(event: Json, path: string): unknown {
  const [head, tail] = path.split('.') as [string, string | undefined];
  const value = event[head];
  return tail === undefined ? value : typeof value === 'object' && value !== null ? (value as Json)[tail] : undefined;
}

function setField(event: Json, path: string, value: unknown): void {
  const [head, tail] = path.split('.') as [string, string | undefined];
  if (tail === undefined) event[head] = value;
  else if (typeof event[head] === 'object' && event[head] !== null) (event[head] as Json)[tail] = value;
}

function deleteField(event: Json, path: string): void {
  const [head, tail] = path.split('.') as [string, string | undefined];
  if (tail === undefined) delete event[head];
  else if (typeof event[head] === 'object' && event[head] !== null) delete (event[head] as Json)[tail];
}

interface FuzzRequest {
  body: Buffer;
  headers: Record<string, string>;
}

/** One mutated call: the body changed in one or two ways, then (usually) signed, then perhaps the headers spoiled. */
function mutatedRequest(random: Random, invoice: WaitingInvoice): FuzzRequest {
  const event = openedEventFor(invoice) as unknown as Json;
  let body: Buffer = Buffer.from('');
  const bodyMutations = 1 + int(random, 2);
  for (let i = 0; i < bodyMutations; i++) {
    const kind = pick(random, ['type', 'huge', 'unicode', 'missing', 'extra', 'none'] as const);
    const field = pick(random, FIELDS);
    if (kind === 'type') setField(event, field, pick(random, STRANGE_VALUES));
    if (kind === 'huge') setField(event, field, 'A'.repeat(pick(random, [101, 1000, 30_000, 70_000])));
    if (kind === 'unicode') {
      const current = getField(event, field);
      setField(event, field, `${typeof current === 'string' ? current : ''}${pick(random, STRANGE_TEXT)}`);
    }
    if (kind === 'missing') deleteField(event, field);
    if (kind === 'extra') event[pick(random, ['__proto__', 'constructor', 'padding', 'reference2'])] = pick(random, STRANGE_VALUES);
  }
  const text = JSON.stringify(event);
  const shape = pick(random, ['json', 'json', 'json', 'truncated', 'array', 'bytes', 'scalar'] as const);
  if (shape === 'json') body = Buffer.from(text);
  if (shape === 'truncated') body = Buffer.from(text.slice(0, int(random, text.length)));
  if (shape === 'array') body = Buffer.from(JSON.stringify([event]));
  if (shape === 'scalar') body = Buffer.from(JSON.stringify(pick(random, STRANGE_VALUES)));
  if (shape === 'bytes') body = Buffer.from(Array.from({ length: 1 + int(random, 200) }, () => int(random, 256)));

  const { timestamp, signature } = sign(body);
  const headers: Record<string, string> = { 'x-ff-timestamp': timestamp, 'x-ff-signature': signature };
  const contentType = random() < 0.8 ? 'application/json' : pick(random, CONTENT_TYPES);
  if (contentType) headers['content-type'] = contentType;
  const spoil = pick(random, ['none', 'none', 'none', 'signature', 'timestamp', 'stale', 'missing'] as const);
  if (spoil === 'signature') headers['x-ff-signature'] = pick(random, [signature.replace(/[0-9a-f](?=[0-9a-f]{10}$)/, (c) => (c === '0' ? '1' : '0')), 'sha256=', 'sha1=abc', signature.toUpperCase(), '']);
  if (spoil === 'timestamp') headers['x-ff-timestamp'] = pick(random, ['', 'abc', '-5', '1e9', '9'.repeat(13), ' 1']);
  if (spoil === 'stale') Object.assign(headers, (({ timestamp: t, signature: s }) => ({ 'x-ff-timestamp': t, 'x-ff-signature': s }))(sign(body, { unixSeconds: Math.floor(Date.now() / 1000) - 301 - int(random, 10_000) })));
  if (spoil === 'missing') delete headers[pick(random, ['x-ff-timestamp', 'x-ff-signature'])];
  return { body, headers };
}

describe('the invoice-opened webhook under a bounded fuzz', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest;
  let invoice: WaitingInvoice;
  let webhook: { app: FastifyInstance; url: string; origin: string; logLines: LogLine[] };

  beforeAll(async () => {
    env = await startLocalTemporal();
    const started = await startWaitingInvoices(env, 1);
    service = started.service;
    invoice = started.invoices[0]!;
    webhook = await startWebhook(env);
  });
  afterAll(async () => {
    await webhook?.app.close();
    await invoice?.handle.terminate('test finished').catch(() => undefined);
    await service?.stop();
    await env?.teardown();
  });

  test(`${REQUESTS} mutated calls from a fixed seed: no 5xx, a sentence for every refusal, no signal but for an accepted call, still healthy`, async () => {
    const random = prng(SEED);
    const requests = Array.from({ length: REQUESTS }, () => mutatedRequest(random, invoice));
    const answers: { status: number; body: string }[] = [];
    let next = 0;
    const began = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length) {
          const { body, headers } = requests[next++]!;
          const response = await http.post(webhook.url, { body, headers });
          answers.push({ status: response.statusCode, body: response.body });
        }
      }),
    );
    const elapsedMs = Date.now() - began;

    expect(answers).toHaveLength(REQUESTS);
    // The fuzz reaches every layer: signature, content type, size, JSON, fields, the invoice itself.
    const statuses = new Set(answers.map((a) => a.status));
    for (const status of [400, 401, 413, 415]) expect(statuses).toContain(status);
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    const refusals = answers.filter((a) => a.status >= 400);
    expect(refusals.length).toBeGreaterThan(REQUESTS / 2);
    for (const refusal of refusals) expect((JSON.parse(refusal.body) as { error?: unknown }).error).toEqual(expect.any(String));
    const accepted = webhook.logLines.filter((line) => line.outcome === 'accepted').length;
    expect(await signalsReceived(invoice.handle)).toBe(accepted);
    expect((await http.get(`${webhook.origin}/healthz`)).statusCode).toBe(200);
    expect(elapsedMs).toBeLessThan(60_000);
  });
});
