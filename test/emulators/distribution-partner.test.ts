import { createHash } from 'node:crypto';
import got, { type Response } from 'got';
import { invoiceOpenedEventSchema, type PartnerReceipt } from '../../adapters/distribution/partner-api';
import { DistributionPartnerClient } from '../../adapters/distribution/partner-client';
import { ExternalServiceError } from '../../adapters/external-service-error';
import { buildDistributionEmulator, type DistributionEmulator, type DistributionEmulatorOptions, type RecordedDelivery } from '../../emulators/distribution/server';
import {
  ACCESS_CODE,
  attachmentEmail,
  documentReference,
  ehf,
  letter,
  linkEmail,
  PARTNER_API_KEY,
  PDF,
  signatureOf,
  startRecordingListener,
  UBL,
  WEBHOOK_SECRET,
  type RecordingListener,
} from '../webhook/partner-fixtures';

/**
 * The distribution partner's emulator over real HTTP, as adapters/distribution/partner-api.ts
 * describes the partner: the three delivery routes with idempotency, the admin API, and the page
 * behind a link e-mail that tells our webhook (signed) when the end customer opens the invoice.
 */
const http = got.extend({ throwHttpErrors: false, retry: { limit: 0 }, responseType: 'text', timeout: { request: 10_000 }, followRedirect: false });
const sha256 = (content: Buffer | string) => createHash('sha256').update(content).digest('hex');

interface Mailbox {
  emails: { deliveryId: string; kind: string; to: string; subject: string; accessCode?: string; link?: string; openedAt?: string | null }[];
}

describe('the distribution partner emulator', () => {
  let partner: DistributionEmulator;
  let base: string;
  let webhook: RecordingListener | undefined;

  async function start(options: Partial<DistributionEmulatorOptions> = {}): Promise<void> {
    partner = buildDistributionEmulator({ apiKey: PARTNER_API_KEY, ...options });
    base = `${await partner.app.listen({ host: '127.0.0.1', port: 0 })}/`;
  }

  async function startWithWebhook(answers: number[] = []): Promise<RecordingListener> {
    webhook = await startRecordingListener(answers);
    await start({ webhookUrl: webhook.url, webhookSecret: WEBHOOK_SECRET, webhookRetry: { initialDelayMs: 1 } });
    return webhook;
  }

  afterEach(async () => {
    await partner?.app.close();
    await webhook?.close();
    webhook = undefined;
  });

  const post = (path: string, json: object, idempotencyKey: string, apiKey = PARTNER_API_KEY) =>
    http.post(`${base}${path}`, { json, headers: { authorization: `Bearer ${apiKey}`, 'idempotency-key': idempotencyKey } });
  const receiptOf = (response: Response<string>) => JSON.parse(response.body) as PartnerReceipt;
  const adminJson = async <T>(path: string) => JSON.parse((await http.get(`${base}_emulator/${path}`)).body) as T;
  const delivery = (deliveryId: string) => adminJson<RecordedDelivery>(`deliveries/${deliveryId}`);
  const openPage = (deliveryId: string, code: string) => http.post(`${base}open/${deliveryId}`, { form: { code }, responseType: 'buffer' });

  async function sentLinkEmail(accessCode = ACCESS_CODE): Promise<PartnerReceipt> {
    const response = await post('v1/emails', linkEmail(documentReference(), accessCode), `key-${Math.random()}`);
    expect(response.statusCode).toBe(201);
    return receiptOf(response);
  }

  describe('deliveries', () => {
    beforeEach(() => start());

    test('an EHF is accepted and recorded with its receiver; the UBL is kept byte for byte, listed by size and hash', async () => {
      const response = await post('v1/ehf', ehf(documentReference()), 'deliver:c1001:inv-1:ehf');

      expect(response.statusCode).toBe(201);
      const receipt = receiptOf(response);
      expect(receipt).toMatchObject({ channel: 'ehf', status: 'accepted' });
      expect(await delivery(receipt.deliveryId)).toMatchObject({
        channel: 'ehf',
        requestsWithKey: 1,
        request: { receiver: { scheme: '0192', identifier: '987145234' }, ubl: { bytes: Buffer.byteLength(UBL), sha256: sha256(UBL) } },
      });
      expect((await http.get(`${base}_emulator/deliveries/${receipt.deliveryId}/ubl`)).body).toBe(UBL);
    });

    test('a link e-mail lands in the mailbox with its recipient, subject, access code and page link', async () => {
      const receipt = await sentLinkEmail();

      expect(receipt.channel).toBe('email-link');
      const { emails } = await adminJson<Mailbox>('mailbox');
      expect(emails).toEqual([
        expect.objectContaining({
          deliveryId: receipt.deliveryId,
          kind: 'link',
          to: 'faktura@kunde.example',
          subject: 'Faktura 10023',
          accessCode: ACCESS_CODE,
          link: `${base}open/${receipt.deliveryId}`,
          openedAt: null,
        }),
      ]);
    });

    test('an e-mail with the PDF attached is recorded as email-pdf, and the PDF can be fetched as sent', async () => {
      const response = await post('v1/emails', attachmentEmail(documentReference()), 'deliver:c1001:inv-2:email-pdf');

      const receipt = receiptOf(response);
      expect(receipt.channel).toBe('email-pdf');
      expect(await delivery(receipt.deliveryId)).toMatchObject({ request: { kind: 'attachment', pdf: { fileName: '10023.pdf', bytes: PDF.length, sha256: sha256(PDF) } } });
      const pdf = await http.get(`${base}_emulator/deliveries/${receipt.deliveryId}/pdf`, { responseType: 'buffer' });
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.body.equals(PDF)).toBe(true);
    });

    test('a letter is recorded with its postal recipient and the PDF to print', async () => {
      const response = await post('v1/letters', letter(documentReference()), 'deliver:c1001:inv-3:letter');

      const receipt = receiptOf(response);
      expect(receipt.channel).toBe('letter');
      expect(await adminJson<{ deliveries: RecordedDelivery[] }>('deliveries?channel=letter')).toEqual({
        deliveries: [
          expect.objectContaining({
            deliveryId: receipt.deliveryId,
            request: expect.objectContaining({ recipient: expect.objectContaining({ postalCode: '0150', city: 'Oslo' }), pdf: expect.objectContaining({ sha256: sha256(PDF) }) }),
          }),
        ],
      });
    });

    test('the admin listing never carries the base64 bodies themselves', async () => {
      await post('v1/letters', letter(documentReference()), 'deliver:c1001:inv-4:letter');

      const listing = (await http.get(`${base}_emulator/deliveries`)).body;
      expect(listing).not.toContain(PDF.toString('base64'));
    });

    test('the same key and body again returns the first receipt, marked as replayed, and delivers once', async () => {
      const request = letter(documentReference());
      const first = await post('v1/letters', request, 'deliver:c1001:inv-5:letter');

      const again = await post('v1/letters', request, 'deliver:c1001:inv-5:letter');

      expect(again.statusCode).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(receiptOf(again)).toEqual(receiptOf(first));
      const { deliveries } = await adminJson<{ deliveries: RecordedDelivery[] }>('deliveries');
      expect(deliveries).toEqual([expect.objectContaining({ requestsWithKey: 2 })]);
    });

    test('the same key with another body is refused with 422 and the first delivery stands', async () => {
      const reference = documentReference();
      await post('v1/letters', letter(reference), 'deliver:c1001:inv-6:letter');

      const other = await post('v1/letters', { ...letter(reference), recipient: { ...letter(reference).recipient, city: 'Bergen' } }, 'deliver:c1001:inv-6:letter');

      expect(other.statusCode).toBe(422);
      expect(JSON.parse(other.body)).toEqual({ error: expect.stringContaining('Idempotency-Key') });
      const { deliveries } = await adminJson<{ deliveries: RecordedDelivery[] }>('deliveries');
      expect(deliveries).toEqual([expect.objectContaining({ requestsWithKey: 1, request: expect.objectContaining({ recipient: expect.objectContaining({ city: 'Oslo' }) }) })]);
    });

    test('a body that breaks the contract is refused with 400 naming the field', async () => {
      const response = await post('v1/ehf', { ...ehf(documentReference()), receiver: { scheme: '0192', identifier: '12345' } }, 'deliver:c1001:inv-7:ehf');

      expect(response.statusCode).toBe(400);
      expect(JSON.parse(response.body)).toEqual({ error: expect.stringContaining('receiver.identifier') });
    });

    test('a "PDF" that is not a PDF is refused with 400', async () => {
      const request = { ...letter(documentReference()), pdf: { fileName: 'x.pdf', base64: Buffer.from('hello').toString('base64') } };

      const response = await post('v1/letters', request, 'deliver:c1001:inv-8:letter');

      expect(response.statusCode).toBe(400);
      expect(JSON.parse(response.body)).toEqual({ error: 'pdf.base64: is not a PDF (no %PDF- header)' });
    });

    test('an EHF whose root element does not match the document type is refused with 400', async () => {
      const request = ehf(documentReference({ documentType: 'CreditNote' }));

      const response = await post('v1/ehf', request, 'deliver:c1001:inv-9:ehf');

      expect(response.statusCode).toBe(400);
      expect(JSON.parse(response.body)).toEqual({ error: expect.stringContaining('root element is Invoice, expected CreditNote') });
    });

    test('a request without the right API key is refused with 401 and not recorded', async () => {
      const response = await post('v1/letters', letter(documentReference()), 'deliver:c1001:inv-10:letter', 'wrong-key');

      expect(response.statusCode).toBe(401);
      expect(partner.deliveries.size).toBe(0);
    });
  });

  describe('our partner client against it', () => {
    let client: DistributionPartnerClient;
    beforeEach(async () => {
      await start();
      client = new DistributionPartnerClient(base, PARTNER_API_KEY, { timeoutMs: 2_000 });
    });

    test('each channel gets a parsed receipt for its own channel', async () => {
      const reference = documentReference();

      const receipts = await Promise.all([
        client.sendEhf(ehf(reference), 'k-ehf'),
        client.sendEmail(linkEmail(reference), 'k-link'),
        client.sendEmail(attachmentEmail(reference), 'k-pdf'),
        client.sendLetter(letter(reference), 'k-letter'),
      ]);

      expect(receipts.map((r) => r.channel)).toEqual(['ehf', 'email-link', 'email-pdf', 'letter']);
    });

    test('a throttled send is retryable and carries the partner\'s Retry-After', async () => {
      partner.faults.configure({ failNext: [{ status: 429, retryAfterSeconds: 7 }] });

      const sending = client.sendLetter(letter(documentReference()), 'k-429');

      await expect(sending).rejects.toMatchObject({ retryable: true, httpStatus: 429, retryAfterMs: 7_000 });
    });

    test('a server error is retryable', async () => {
      partner.faults.configure({ failNext: [{ status: 503 }] });

      await expect(client.sendEhf(ehf(documentReference()), 'k-503')).rejects.toMatchObject({ retryable: true, httpStatus: 503 });
    });

    test('no answer at all is retryable', async () => {
      partner.faults.configure({ failNext: [{ kind: 'timeout', hangMs: 10_000 }] });
      const impatient = new DistributionPartnerClient(base, PARTNER_API_KEY, { timeoutMs: 200 });

      await expect(impatient.sendLetter(letter(documentReference()), 'k-hang')).rejects.toMatchObject({ retryable: true, message: expect.stringContaining('no response') });
    });

    test('a refusal such as a reused key is permanent and carries the partner\'s reason', async () => {
      const reference = documentReference();
      await client.sendLetter(letter(reference), 'k-reused');

      const sending = client.sendLetter({ ...letter(reference), recipient: { ...letter(reference).recipient, city: 'Bergen' } }, 'k-reused');

      await expect(sending).rejects.toBeInstanceOf(ExternalServiceError);
      await expect(sending).rejects.toMatchObject({ retryable: false, httpStatus: 422, message: expect.stringContaining('Idempotency-Key reused with a different request') });
    });

    test('an invalid request is refused before it leaves, permanently', async () => {
      const sending = client.sendEmail({ ...linkEmail(documentReference()), accessCode: '123' }, 'k-invalid');

      await expect(sending).rejects.toMatchObject({ retryable: false, message: expect.stringContaining('accessCode') });
      expect(partner.deliveries.size).toBe(0);
    });
  });

  describe('the page behind a link e-mail', () => {
    test('shows a Norwegian code form for the invoice', async () => {
      await start();
      const { deliveryId } = await sentLinkEmail();

      const page = await http.get(`${base}open/${deliveryId}`);

      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.body).toContain('Tilgangskode');
      expect(page.body).toContain('faktura nr. 10023');
      expect(page.body).toContain(`action="/open/${deliveryId}"`);
    });

    test('the right code serves the PDF and records the opening', async () => {
      await start();
      const { deliveryId } = await sentLinkEmail();

      const opened = await openPage(deliveryId, ACCESS_CODE);

      expect(opened.statusCode).toBe(200);
      expect(opened.headers['content-type']).toBe('application/pdf');
      expect(opened.body.equals(PDF)).toBe(true);
      expect((await delivery(deliveryId)).link).toMatchObject({ openedAt: expect.any(String), opens: 1, failedAttempts: 0 });
    });

    test('the right code calls our webhook with an invoice.opened event signed with the shared secret', async () => {
      const listener = await startWithWebhook();
      const reference = documentReference();
      const sent = await post('v1/emails', linkEmail(reference), 'deliver:c1001:inv-11:email-link');
      const { deliveryId } = receiptOf(sent);

      await openPage(deliveryId, ACCESS_CODE);
      await partner.webhooks!.idle();

      expect(listener.calls).toHaveLength(1);
      const call = listener.calls[0]!;
      const timestamp = String(call.headers['x-ff-timestamp']);
      expect(call.headers['x-ff-signature']).toBe(signatureOf(WEBHOOK_SECRET, timestamp, call.body));
      const event = invoiceOpenedEventSchema.parse(JSON.parse(call.body));
      expect(event).toMatchObject({ type: 'invoice.opened', deliveryId, reference: { clientId: reference.clientId, invoiceId: reference.invoiceId, invoiceNo: reference.invoiceNo } });
      expect(event.openedAt).toBe((await delivery(deliveryId)).link?.openedAt);
    });

    test('a webhook that fails is retried with the same event until it answers 2xx, and every attempt is recorded', async () => {
      const listener = await startWithWebhook([500, 503]);
      const { deliveryId } = await sentLinkEmail();

      await openPage(deliveryId, ACCESS_CODE);
      await partner.webhooks!.idle();

      expect(listener.calls).toHaveLength(3);
      expect(new Set(listener.calls.map((c) => c.body)).size).toBe(1);
      expect((await delivery(deliveryId)).link?.webhook).toMatchObject({
        outcome: 'delivered',
        attempts: [expect.objectContaining({ status: 500 }), expect.objectContaining({ status: 503 }), expect.objectContaining({ status: 200 })],
      });
    });

    test('opening again serves the PDF again but tells our webhook only once', async () => {
      const listener = await startWithWebhook();
      const { deliveryId } = await sentLinkEmail();

      await openPage(deliveryId, ACCESS_CODE);
      const second = await openPage(deliveryId, ACCESS_CODE);
      await partner.webhooks!.idle();

      expect(second.statusCode).toBe(200);
      expect(listener.calls).toHaveLength(1);
      expect((await delivery(deliveryId)).link).toMatchObject({ opens: 2 });
    });

    test('without a configured webhook the opening is recorded and the admin data says nobody was told', async () => {
      await start();
      const { deliveryId } = await sentLinkEmail();

      await openPage(deliveryId, ACCESS_CODE);

      expect((await delivery(deliveryId)).link?.webhook).toEqual({ outcome: 'not configured', eventId: null, url: null, attempts: [] });
    });

    test('a wrong code gets a 401 page with the attempts left, and the invoice stays unopened', async () => {
      const listener = await startWithWebhook();
      const { deliveryId } = await sentLinkEmail();

      const wrong = await openPage(deliveryId, '00000000');

      expect(wrong.statusCode).toBe(401);
      expect(wrong.body.toString('utf8')).toContain('Du har 4 forsøk igjen');
      expect((await delivery(deliveryId)).link).toMatchObject({ openedAt: null, failedAttempts: 1 });
      expect(listener.calls).toHaveLength(0);
    });

    test('after 5 wrong codes the page is locked (423), even for the right code', async () => {
      await start();
      const { deliveryId } = await sentLinkEmail();
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) statuses.push((await openPage(deliveryId, '00000000')).statusCode);

      const rightCode = await openPage(deliveryId, ACCESS_CODE);

      expect(statuses).toEqual([401, 401, 401, 401, 423]);
      expect(rightCode.statusCode).toBe(423);
      expect((await http.get(`${base}open/${deliveryId}`)).statusCode).toBe(423);
      expect((await delivery(deliveryId)).link).toMatchObject({ locked: true, openedAt: null });
    });

    test('an e-mail with the PDF attached has no page', async () => {
      await start();
      const { deliveryId } = receiptOf(await post('v1/emails', attachmentEmail(documentReference()), 'deliver:c1001:inv-12:email-pdf'));

      expect((await http.get(`${base}open/${deliveryId}`)).statusCode).toBe(404);
      expect((await openPage(deliveryId, ACCESS_CODE)).statusCode).toBe(404);
    });

    test('an unknown delivery id gets a 404 page that does not echo the id as markup', async () => {
      await start();

      const page = await http.get(`${base}open/${encodeURIComponent('<script>alert(1)</script>')}`);

      expect(page.statusCode).toBe(404);
      expect(page.body).not.toContain('<script>');
    });

    test('the page is never hit by faults injected into the API', async () => {
      await start();
      const { deliveryId } = await sentLinkEmail();
      partner.faults.configure({ failNext: [{ status: 500 }] });

      const opened = await openPage(deliveryId, ACCESS_CODE);

      expect(opened.statusCode).toBe(200);
      expect(partner.faults.settings.failNext).toHaveLength(1);
    });
  });
});
