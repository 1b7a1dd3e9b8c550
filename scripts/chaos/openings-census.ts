import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { invoiceWorkflowIdsByGuid } from '../../client/invoice-registry';
import { invoiceStatusQuery } from '../../workflows/messages';

/**
 * The e-mails with link and code, judged from the partner emulator's records (when each e-mail and
 * letter went out, when the end customer opened the page, what our webhook answered the partner)
 * and from the invoice workflows (did they record the opening). Each finding names an invoice number.
 */
const webhookLogSchema = z.object({
  outcome: z.string(),
  attempts: z.array(z.object({ at: z.string(), status: z.number().nullable() })),
});
export const deliverySchema = z.object({
  channel: z.string(),
  endpoint: z.string(),
  receipt: z.object({ acceptedAt: z.string() }),
  request: z.object({ reference: z.object({ clientId: z.string(), invoiceId: z.string(), invoiceNo: z.number() }) }),
  link: z.object({ openedAt: z.string().nullable(), webhook: webhookLogSchema.nullable() }).optional(),
});
export type Delivery = z.infer<typeof deliverySchema>;

/**
 * An opening our webhook accepted this long before the wait ended must have stopped the letter. The
 * partner's attempt time is when it started the call; the signal reached Temporal before the
 * answer, at most the partner's request timeout (5 s) later; 5 s more for a race at the boundary.
 */
export const OPENED_IN_TIME_MARGIN_MS = 10_000;

export interface OpeningFindings {
  /** Our webhook accepted the opening (2xx), yet the invoice workflow has no `openedAt`. */
  notRecorded: string[];
  /** The partner gave up calling our webhook: the opening never reached it. */
  notDelivered: string[];
  /** The wait ended without an opening our webhook accepted, and no letter went out. */
  lettersNotSent: string[];
  /** A letter although our webhook accepted the opening clearly before the wait ended. */
  lettersDespiteOpening: string[];
  linkEmails: number;
  /** Openings our webhook accepted; `lateOpenings` of them after the invoice's letter went out. */
  openings: number;
  lateOpenings: number;
  /** Letters that followed an e-mail with link. */
  lettersAfterEmail: number;
}

/** When our webhook answered the partner 2xx for this e-mail's opening (the attempt's start), if it did. */
function acceptedAt(delivery: Delivery): number | undefined {
  const accepted = delivery.link?.webhook?.attempts.find((a) => a.status !== null && a.status >= 200 && a.status < 300);
  return accepted ? Date.parse(accepted.at) : undefined;
}

/**
 * `recorded`, when given, holds the invoice ids whose workflow has recorded its opening (a record
 * never goes away, so later censuses ask only about the others); without it the workflows are not
 * asked and `notRecorded` stays empty (the progress lines).
 */
export async function openingFindings(
  ours: Delivery[],
  options: { clientId: string; openingWaitMs: number; now: number; temporal: Client; recorded?: Set<string> },
): Promise<OpeningFindings> {
  const letterAt = new Map(ours.filter((d) => d.channel === 'letter').map((d) => [d.request.reference.invoiceId, Date.parse(d.receipt.acceptedAt)]));
  const emails = ours.filter((d) => d.channel === 'email-link');
  const findings: OpeningFindings = { notRecorded: [], notDelivered: [], lettersNotSent: [], lettersDespiteOpening: [], linkEmails: emails.length, openings: 0, lateOpenings: 0, lettersAfterEmail: 0 };
  const accepted: Delivery[] = [];
  for (const email of emails) {
    const { invoiceId, invoiceNo } = email.request.reference;
    const no = String(invoiceNo);
    const opened = acceptedAt(email);
    const letter = letterAt.get(invoiceId);
    const waitEnds = Date.parse(email.receipt.acceptedAt) + options.openingWaitMs;
    if (letter !== undefined) findings.lettersAfterEmail += 1;
    if (email.link?.webhook?.outcome === 'gave up') findings.notDelivered.push(no);
    if (opened === undefined) {
      if (letter === undefined && options.now > waitEnds) findings.lettersNotSent.push(no);
      continue;
    }
    accepted.push(email);
    findings.openings += 1;
    if (letter !== undefined && letter < opened) findings.lateOpenings += 1;
    if (letter !== undefined && opened + OPENED_IN_TIME_MARGIN_MS < waitEnds) findings.lettersDespiteOpening.push(no);
  }
  if (options.recorded) {
    const recorded = await recordedOpenings(options.temporal, options.clientId, accepted.map((d) => d.request.reference.invoiceId), options.recorded);
    findings.notRecorded = accepted.filter((d) => !recorded.has(d.request.reference.invoiceId)).map((d) => String(d.request.reference.invoiceNo));
  }
  return findings;
}

/**
 * Adds to `known` every one of `invoiceIds` whose workflow has recorded an opening. An opening in
 * time shows as DistributionState Opened (one visibility list for all); one after the letter only
 * in the workflow's status, so those are asked one by one (a closed workflow answers from a replay).
 */
async function recordedOpenings(temporal: Client, clientId: string, invoiceIds: string[], known: Set<string>): Promise<Set<string>> {
  let unknown = invoiceIds.filter((id) => !known.has(id));
  if (unknown.length === 0) return known;
  const openedIds = new Set<string>();
  for await (const run of temporal.workflow.list({ query: `WorkflowType = 'invoiceWorkflow' AND ClientId = '${clientId}' AND DistributionState = 'Opened'` })) {
    openedIds.add(run.workflowId);
  }
  const workflowIds = await invoiceWorkflowIdsByGuid(temporal, clientId);
  const workflowIdOf = (invoiceId: string): string => {
    const workflowId = workflowIds.get(invoiceId);
    if (workflowId === undefined) throw new Error(`invoice ${invoiceId} of client ${clientId} has no workflow in visibility`);
    return workflowId;
  };
  for (const id of unknown) if (openedIds.has(workflowIdOf(id))) known.add(id);
  unknown = unknown.filter((id) => !known.has(id));
  for (const invoiceId of unknown) {
    const status = await temporal.workflow.getHandle(workflowIdOf(invoiceId)).query(invoiceStatusQuery);
    if (status.openedAt !== undefined) known.add(invoiceId);
  }
  return known;
}
