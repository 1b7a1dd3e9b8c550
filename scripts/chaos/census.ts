import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { externalImportReferenceFor } from '../../domain/return-data/external-reference';
import { deliverySchema, openingFindings } from './openings-census';

/**
 * What actually happened, read from every emulator's records (/_emulator admin APIs) and from
 * Temporal: per invoice, was it booked, sent, written back, paid, its payment posted back, and did
 * any of these happen more than once. A duplicate is an effect the real upstream would have taken
 * twice: a second booking of the invoice under another key (the emulator refuses it, a ledger might
 * not), a second delivery, a second `delivered` call or status update, a second voucher or payment.
 */
export interface ChaosUrls {
  powerOffice: string;
  distribution: string;
  ledger: string;
}

export interface ExpectedInvoice {
  id: string;
  invoiceNo: number;
}

/** What the campaign has done so far: which effects are due. */
export interface Due {
  writeBack: boolean;
  /** Invoice ids paid by the OCR file. */
  paid: string[];
  vouchers: boolean;
  /** The workers' OPENING_WAIT_SECONDS: when an e-mail with link not opened is due its letter. */
  openingWaitSeconds: number;
}

export const duplicateKinds = ['bookings', 'sends', 'letters', 'lettersDespiteOpening', 'deliveredCalls', 'statusUpdates', 'vouchers', 'payments'] as const;
export type DuplicateKind = (typeof duplicateKinds)[number];
export const lostKinds = ['notBooked', 'notSent', 'lettersNotSent', 'openingsNotDelivered', 'openingsNotRecorded', 'notWrittenBack', 'paymentsNotRegistered', 'vouchersNotPosted'] as const;
export type LostKind = (typeof lostKinds)[number];

export interface StuckWorkflow {
  workflowId: string;
  type: string;
  why: string;
}

export interface Census {
  lost: Record<LostKind, number>;
  /** Invoice numbers (or event ids for vouchers), the first 20 of each kind. */
  lostExamples: Record<LostKind, string[]>;
  duplicated: Record<DuplicateKind, number>;
  duplicatedExamples: Record<DuplicateKind, string[]>;
  stuck: StuckWorkflow[];
  /** Progress figures for the lines printed while it runs. */
  booked: number;
  sent: number;
  writtenBack: number;
  payments: number;
  vouchers: number;
  /** E-mails with link; openings our webhook accepted (late: after the letter); letters after an e-mail. */
  linkEmails: number;
  openings: number;
  lateOpenings: number;
  lettersAfterEmail: number;
}

const bookingsSchema = z.object({
  invoices: z.array(z.object({ booking: z.object({ invoiceId: z.string(), invoiceNo: z.number(), kid: z.string(), amountOre: z.number(), documentType: z.string() }), duplicatesRefused: z.number() })),
});
export type Booking = z.infer<typeof bookingsSchema>['invoices'][number]['booking'];
const deliveriesSchema = z.object({ deliveries: z.array(deliverySchema) });
const powerOfficeInvoicesSchema = z.object({
  invoices: z.array(z.object({ id: z.string(), invoiceNo: z.number(), deliveredCalls: z.number(), statusHistory: z.array(z.unknown()) })),
});
const paymentsSchema = z.object({ payments: z.array(z.object({ payment: z.object({ invoiceId: z.string() }), eventId: z.string() })) });
const eventsSchema = z.object({ events: z.array(z.object({ type: z.string(), eventId: z.string(), invoiceNo: z.number().optional() })) });
const vouchersSchema = z.object({ vouchers: z.array(z.object({ voucher: z.object({ ExternalImportReference: z.string().nullable() }) })) });

async function read<T>(url: string, schema: z.ZodType<T>): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return schema.parse(await response.json());
}

export async function bookingsOf(urls: ChaosUrls, clientId: string): Promise<Booking[]> {
  return (await read(`${urls.ledger}_emulator/invoices?clientId=${clientId}`, bookingsSchema)).invoices.map((i) => i.booking);
}

/** Workflow types that stay running by design: the client's settings and its return-data feed. */
const LONG_RUNNING = new Set(['clientSettingsWorkflow', 'clientReturnDataWorkflow']);
/** An activity retried this often is not riding out a fault any more. */
export const STUCK_ATTEMPTS = 5;

/**
 * `options.openingsRecorded`: ask the invoice workflows whether they recorded the openings our
 * webhook accepted, remembering the ones that did (the final censuses); without it they are not asked.
 */
export async function takeCensus(
  urls: ChaosUrls,
  temporal: Client,
  clientId: string,
  expected: ExpectedInvoice[],
  due: Due,
  options: { stuck: boolean; openingsRecorded?: Set<string> },
): Promise<Census> {
  const [bookings, deliveries, poInvoices, payments, events, vouchers] = await Promise.all([
    read(`${urls.ledger}_emulator/invoices?clientId=${clientId}`, bookingsSchema),
    read(`${urls.distribution}_emulator/deliveries`, deliveriesSchema),
    read(`${urls.powerOffice}_emulator/companies/${clientId}/invoices`, powerOfficeInvoicesSchema),
    read(`${urls.ledger}_emulator/payments?clientId=${clientId}`, paymentsSchema),
    read(`${urls.ledger}_emulator/clients/${clientId}/events`, eventsSchema),
    read(`${urls.powerOffice}_emulator/companies/${clientId}/vouchers`, vouchersSchema),
  ]);
  const numberOf = new Map(expected.map((i) => [i.id, String(i.invoiceNo)]));
  const tally = <K extends string>(kinds: readonly K[]) => ({
    counts: Object.fromEntries(kinds.map((k) => [k, 0])) as Record<K, number>,
    examples: Object.fromEntries(kinds.map((k) => [k, [] as string[]])) as Record<K, string[]>,
  });
  const lost = tally(lostKinds);
  const dup = tally(duplicateKinds);
  const note = <K extends string>(t: ReturnType<typeof tally<K>>, kind: K, n: number, example: string) => {
    if (n <= 0) return;
    t.counts[kind] += n;
    if (t.examples[kind].length < 20) t.examples[kind].push(example);
  };

  const bookingsByInvoice = countBy(bookings.invoices.map((b) => b.booking.invoiceId));
  for (const b of bookings.invoices) note(dup, 'bookings', b.duplicatesRefused, String(b.booking.invoiceNo));
  const ours = deliveries.deliveries.filter((d) => d.request.reference.clientId === clientId);
  const sends = countBy(ours.filter((d) => d.channel !== 'letter').map((d) => d.request.reference.invoiceId));
  const letters = countBy(ours.filter((d) => d.channel === 'letter').map((d) => d.request.reference.invoiceId));
  const poById = new Map(poInvoices.invoices.map((i) => [i.id, i]));
  const paymentsByInvoice = countBy(payments.payments.map((p) => p.payment.invoiceId));
  const paymentEvents = new Map<number, number>();
  for (const event of events.events) if (event.type === 'payment' && event.invoiceNo !== undefined) paymentEvents.set(event.invoiceNo, (paymentEvents.get(event.invoiceNo) ?? 0) + 1);
  for (const invoice of expected) {
    const no = String(invoice.invoiceNo);
    if (!bookingsByInvoice.has(invoice.id)) note(lost, 'notBooked', 1, no);
    const sent = (sends.get(invoice.id) ?? 0) + (letters.get(invoice.id) ?? 0);
    if (sent === 0) note(lost, 'notSent', 1, no);
    note(dup, 'sends', (sends.get(invoice.id) ?? 0) - 1, no);
    note(dup, 'letters', (letters.get(invoice.id) ?? 0) - 1, no);
    const po = poById.get(invoice.id);
    if (due.writeBack && (po?.deliveredCalls ?? 0) === 0) note(lost, 'notWrittenBack', 1, no);
    note(dup, 'deliveredCalls', (po?.deliveredCalls ?? 0) - 1, no);
    note(dup, 'statusUpdates', (po?.statusHistory.length ?? 0) - 1, no);
    // A payment twice: two registrations of the invoice, or two `payment` events for it in the feed.
    note(dup, 'payments', Math.max(paymentsByInvoice.get(invoice.id) ?? 0, paymentEvents.get(invoice.invoiceNo) ?? 0) - 1, no);
  }
  for (const id of due.paid) if (!paymentsByInvoice.has(id)) note(lost, 'paymentsNotRegistered', 1, numberOf.get(id) ?? id);
  const openings = await openingFindings(ours, {
    clientId,
    openingWaitMs: due.openingWaitSeconds * 1000,
    now: Date.now(),
    temporal,
    ...(options.openingsRecorded ? { recorded: options.openingsRecorded } : {}),
  });
  for (const no of openings.lettersNotSent) note(lost, 'lettersNotSent', 1, no);
  for (const no of openings.notDelivered) note(lost, 'openingsNotDelivered', 1, no);
  for (const no of openings.notRecorded) note(lost, 'openingsNotRecorded', 1, no);
  for (const no of openings.lettersDespiteOpening) note(dup, 'lettersDespiteOpening', 1, no);
  const references = countBy(vouchers.vouchers.map((v) => v.voucher.ExternalImportReference ?? '(none)'));
  for (const [reference, n] of references) note(dup, 'vouchers', n - 1, reference);
  if (due.vouchers) {
    for (const event of events.events) if (!references.has(externalImportReferenceFor(event.eventId))) note(lost, 'vouchersNotPosted', 1, event.eventId);
  }

  return {
    lost: lost.counts,
    lostExamples: lost.examples,
    duplicated: dup.counts,
    duplicatedExamples: dup.examples,
    stuck: options.stuck ? await stuckWorkflows(temporal) : [],
    booked: bookingsByInvoice.size,
    sent: expected.filter((i) => sends.has(i.id) || letters.has(i.id)).length,
    writtenBack: expected.filter((i) => (poById.get(i.id)?.deliveredCalls ?? 0) > 0).length,
    payments: paymentsByInvoice.size,
    vouchers: vouchers.vouchers.length,
    linkEmails: openings.linkEmails,
    openings: openings.openings,
    lateOpenings: openings.lateOpenings,
    lettersAfterEmail: openings.lettersAfterEmail,
  };
}

/** Running workflows that should have ended, and any running workflow with an activity retried ≥ STUCK_ATTEMPTS times. */
async function stuckWorkflows(temporal: Client): Promise<StuckWorkflow[]> {
  const stuck: StuckWorkflow[] = [];
  for await (const run of temporal.workflow.list({ query: "ExecutionStatus = 'Running'" })) {
    if (!LONG_RUNNING.has(run.type)) {
      stuck.push({ workflowId: run.workflowId, type: run.type, why: 'still running' });
      continue;
    }
    const description = await temporal.workflow.getHandle(run.workflowId).describe();
    for (const activity of description.raw.pendingActivities ?? []) {
      if ((activity.attempt ?? 0) >= STUCK_ATTEMPTS) {
        stuck.push({ workflowId: run.workflowId, type: run.type, why: `${activity.activityType?.name ?? 'activity'} at attempt ${activity.attempt}` });
      }
    }
  }
  return stuck;
}

function countBy(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}
