import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  DocumentReference,
  EhfDeliveryRequest,
  EmailDeliveryRequest,
  LetterDeliveryRequest,
} from '../../adapters/distribution/partner-api';

/** Requests, signatures and a recording HTTP listener shared by the partner-emulator and webhook tests. */
export const PARTNER_API_KEY = 'test-partner-key';
export const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';
export const ACCESS_CODE = '48213957';
export const PDF = Buffer.from('%PDF-1.7\n% Factoring Finans test invoice\n%%EOF\n', 'latin1');
export const UBL = '<?xml version="1.0" encoding="UTF-8"?>\n<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>\n';

export function documentReference(overrides: Partial<DocumentReference> = {}): DocumentReference {
  return { clientId: 'c1001', invoiceId: randomUUID(), invoiceNo: 10023, documentType: 'Invoice', ...overrides };
}

const pdf = (reference: DocumentReference) => ({ fileName: `${reference.invoiceNo}.pdf`, base64: PDF.toString('base64') });

export function linkEmail(reference: DocumentReference, accessCode = ACCESS_CODE): Extract<EmailDeliveryRequest, { kind: 'link' }> {
  return { kind: 'link', reference, to: 'faktura@kunde.example', subject: `Faktura ${reference.invoiceNo}`, pdf: pdf(reference), accessCode };
}

export function attachmentEmail(reference: DocumentReference): EmailDeliveryRequest {
  return { kind: 'attachment', reference, to: 'faktura@kunde.example', subject: `Faktura ${reference.invoiceNo}`, pdf: pdf(reference) };
}

export function letter(reference: DocumentReference): LetterDeliveryRequest {
  return {
    reference,
    recipient: { name: 'Kunde AS', addressLines: ['Testveien 1'], postalCode: '0150', city: 'Oslo', countryCode: 'NO' },
    pdf: pdf(reference),
  };
}

export function ehf(reference: DocumentReference): EhfDeliveryRequest {
  return { reference, receiver: { scheme: '0192', identifier: '987145234' }, ubl: UBL };
}

/** The contract's signature, computed independently of both the emulator and the webhook. */
export function signatureOf(secret: string, timestamp: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

export function signedHeaders(rawBody: string, options: { secret?: string; unixSeconds?: number } = {}): Record<string, string> {
  const timestamp = String(options.unixSeconds ?? Math.floor(Date.now() / 1000));
  return { 'content-type': 'application/json', 'x-ff-timestamp': timestamp, 'x-ff-signature': signatureOf(options.secret ?? WEBHOOK_SECRET, timestamp, rawBody) };
}

export interface ReceivedCall {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RecordingListener {
  url: string;
  calls: ReceivedCall[];
  close(): Promise<void>;
}

/** A stand-in for our webhook: records each call and answers the given statuses in turn, then 200. */
export async function startRecordingListener(answers: number[] = []): Promise<RecordingListener> {
  const calls: ReceivedCall[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      calls.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(answers.shift() ?? 200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/invoice-opened`,
    calls,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
