import type { FactoringDocument } from '../domain/invoice';
import { oreFromKroner } from '../domain/money';
import { activitySummary, batchCurrentDetails, invoiceCurrentDetails, invoiceStaticDetails, invoiceStaticSummary } from '../workflows/summaries';

/** What the Web UI shows beside a workflow and its steps: identifiers, states and amounts, in an operator's words. */
const creditNote: FactoringDocument = {
  clientId: '1001',
  invoiceId: '9c8b7a6f-5e4d-4c3b-a2a1-0f9e8d7c6b53',
  invoiceNo: 10025,
  documentType: 'CreditNote',
  customerCode: 10012,
  totalAmountOre: oreFromKroner(-1250),
  invoiceDate: '2026-11-30T00:00:00',
  dueDate: '2026-12-14T00:00:00',
  originalInvoiceNo: 10023,
};

describe('Web UI summaries', () => {
  test('a credit note reads as "Credit note 10025 · client 1001 · -1 250,00 kr", its details with Norwegian dates and the credited invoice', () => {
    expect(invoiceStaticSummary(creditNote)).toBe('Credit note 10025 · client 1001 · -1\u00a0250,00 kr');
    expect(invoiceStaticDetails(creditNote, 'batch batch-manual-20261130T080000').split('\n')).toEqual([
      '**Credit note 10025** of client 1001',
      'Amount: -1\u00a0250,00 kr',
      'Invoice date: 30.11.2026',
      'Due date: 14.12.2026',
      'Credits invoice 10023',
      'PowerOffice GO id: 9c8b7a6f-5e4d-4c3b-a2a1-0f9e8d7c6b53',
      'Started by: batch batch-manual-20261130T080000',
    ]);
  });

  test('the customer number, which for a private customer points at one person, is in no summary', () => {
    const texts = [invoiceStaticSummary(creditNote), invoiceStaticDetails(creditNote, 'batch b'), activitySummary('bookInvoice', [{ document: creditNote, kid: '000420000100250' }])];
    expect(texts.filter((text) => text?.includes('10012'))).toEqual([]);
  });

  test('a rejected invoice shows its state and reason; a waiting one its channel, KID and send', () => {
    expect(invoiceCurrentDetails({ state: 'Rejected', sends: [], reasons: ['customer 10012 has no complete postal address'] })).toBe('**Rejected**\nReason: customer 10012 has no complete postal address');
    const waiting = invoiceCurrentDetails({ state: 'Waiting', channel: 'email-link', channelReason: 'e-mail with link and code (alternative 1)', kid: '000420000100230', sends: [{ channel: 'email-link', deliveryId: 'd1', sentAt: '2026-11-30T08:01:00Z' }] });
    expect(waiting.split('\n')).toEqual([
      '**Waiting** · e-mail with link and code · KID 000420000100230',
      'Channel: e-mail with link and code (alternative 1)',
      'Sent: e-mail with link and code 2026-11-30T08:01:00Z',
    ]);
  });

  test('each step of an invoice is named with its number: assess, book with amount and KID, send with its channel', () => {
    const input = { document: creditNote, kid: '000420000100250' };
    expect(activitySummary('assessInvoiceReadingEhf', [{ document: creditNote }])).toBe('assess 10025: postal address, EHF rules, KID, channel');
    expect(activitySummary('bookInvoice', [input])).toBe('book 10025 at the ledger: -1\u00a0250,00 kr, KID 000420000100250');
    expect(activitySummary('sendInvoice', [{ ...input, channel: 'letter' }])).toBe('send 10025 as letter');
    expect(activitySummary('someActivityWithoutSummary', [input])).toBeUndefined();
  });

  test("a batch's details count per client and per channel", () => {
    const details = batchCurrentDetails(
      {
        clients: { '1001': { started: 3, alreadyStarted: 1, byDocumentType: { Invoice: 2, CreditNote: 1 }, byChannel: { ehf: 2 }, rejected: 1, failed: 0 } },
        rejected: [],
        assessed: 3,
        cursor: { clientIndex: 1 },
        runsSoFar: 1,
        done: true,
      },
      1,
    );
    expect(details.split('\n')).toEqual([
      '**Done** · client 1 of 1 · run 1',
      'Started 3 · already started 1 · assessed 3 · rejected 1 · failed 0',
      'Channels: EHF 2',
      'Client 1001: started 3, already 1, rejected 1, failed 0',
    ]);
  });
});
