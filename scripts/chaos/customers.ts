import { z } from 'zod';
import { sleep } from './persist';
import { between, type Random } from './random';

/**
 * The end customers of the campaign's e-mails with link and code. They read their mailbox at the
 * partner (the emulator's admin API, as the e-mail would arrive) and open some invoices the way a
 * person does: the link page, the code from the e-mail, over HTTP. The partner then calls our
 * webhook, signed, and our webhook signals the invoice workflow, all while workers and the
 * Temporal server are killed. In the order the e-mails arrive, of every six: two are opened at a
 * random moment inside the opening wait, one some seconds after its letter went out (a late
 * opening), three never (they get their letter). Fixed shares, so a small campaign has each kind.
 */
type Fate = 'in time' | 'after the letter' | 'never';
const FATES: readonly Fate[] = ['in time', 'never', 'after the letter', 'in time', 'never', 'never'];

/** An in-time opening falls between these shares of the wait: well before its end, so it is clearly in time. */
const IN_TIME_FROM = 0.1;
const IN_TIME_TO = 0.7;
/** A late opening comes this long after the letter is seen: 2 s up to 40 % of the late-opening window. */
const LATE_FROM_MS = 2_000;
const LATE_WINDOW_SHARE = 0.4;
/** How often the customers look at their mailbox: often enough for the moments above, cheap on a 2-core machine. */
const POLL_MS = 2_000;

const deliveriesSchema = z.object({
  deliveries: z.array(z.object({ deliveryId: z.string(), channel: z.string(), receipt: z.object({ acceptedAt: z.string() }), request: z.object({ reference: z.object({ clientId: z.string(), invoiceId: z.string(), invoiceNo: z.number() }) }) })),
});
const mailboxSchema = z.object({ emails: z.array(z.object({ deliveryId: z.string(), kind: z.string(), accessCode: z.string().optional(), link: z.string().optional() })) });

interface LinkEmail {
  deliveryId: string;
  invoiceId: string;
  invoiceNo: number;
  link: string;
  accessCode: string;
  fate: Fate;
  /** Epoch ms to open it; undefined until known (a late opening waits for the letter). */
  openAt?: number;
  opened: boolean;
}

export interface CustomerCounts {
  linkEmails: number;
  /** Openings planned and done, per kind. */
  planned: { inTime: number; afterLetter: number };
  opened: { inTime: number; afterLetter: number };
}

export interface Customers {
  /** Every expected e-mail has arrived and every planned opening is done. */
  done(): boolean;
  counts(): CustomerCounts;
  stop(): Promise<void>;
}

export interface CustomerPlan {
  partnerUrl: string;
  clientId: string;
  /** How many e-mails with link the campaign's invoices make. */
  expectedEmails: number;
  openingWaitMs: number;
  lateOpeningWindowMs: number;
}

export function startCustomers(plan: CustomerPlan, random: Random, say: (line: string) => void): Customers {
  const emails = new Map<string, LinkEmail>();
  let stopped = false;
  let lastProblem = '';
  const all = () => [...emails.values()];
  const done = () => emails.size >= plan.expectedEmails && all().every((e) => e.fate === 'never' || e.opened);
  const run = (async () => {
    // Once every e-mail has come and every planned opening is done, there is nothing left to read.
    while (!stopped && !done()) {
      try {
        await readMail(plan, random, emails);
        await openDue(emails, say);
        lastProblem = '';
      } catch (err) {
        // The partner may be restarting; say so once, and try again at the next look.
        const problem = err instanceof Error ? err.message : String(err);
        if (problem !== lastProblem) say(`end customers: ${problem}; trying again`);
        lastProblem = problem;
      }
      await sleep(POLL_MS);
    }
  })();
  const count = (fate: Fate, opened?: boolean) => all().filter((e) => e.fate === fate && (opened === undefined || e.opened === opened)).length;
  return {
    done,
    counts: () => ({
      linkEmails: emails.size,
      planned: { inTime: count('in time'), afterLetter: count('after the letter') },
      opened: { inTime: count('in time', true), afterLetter: count('after the letter', true) },
    }),
    stop: async () => {
      stopped = true;
      await run;
    },
  };
}

/** New e-mails get their fate and, for an in-time opening, its moment; a letter sets a late opening's moment. */
async function readMail(plan: CustomerPlan, random: Random, emails: Map<string, LinkEmail>): Promise<void> {
  const [{ deliveries }, { emails: mailbox }] = await Promise.all([
    getJson(`${plan.partnerUrl}_emulator/deliveries`, deliveriesSchema),
    getJson(`${plan.partnerUrl}_emulator/mailbox`, mailboxSchema),
  ]);
  const ours = deliveries.filter((d) => d.request.reference.clientId === plan.clientId);
  const mail = new Map(mailbox.map((m) => [m.deliveryId, m]));
  for (const delivery of ours.filter((d) => d.channel === 'email-link' && !emails.has(d.deliveryId))) {
    const entry = mail.get(delivery.deliveryId);
    if (!entry?.link || !entry.accessCode) continue;
    const fate = FATES[emails.size % FATES.length] ?? 'never';
    const sentAt = Date.parse(delivery.receipt.acceptedAt);
    const { invoiceId, invoiceNo } = delivery.request.reference;
    emails.set(delivery.deliveryId, {
      deliveryId: delivery.deliveryId,
      invoiceId,
      invoiceNo,
      link: entry.link,
      accessCode: entry.accessCode,
      fate,
      opened: false,
      ...(fate === 'in time' ? { openAt: sentAt + between(random, Math.round(plan.openingWaitMs * IN_TIME_FROM), Math.round(plan.openingWaitMs * IN_TIME_TO)) } : {}),
    });
  }
  const lettered = new Set(ours.filter((d) => d.channel === 'letter').map((d) => d.request.reference.invoiceId));
  for (const email of emails.values()) {
    if (email.fate !== 'after the letter' || email.openAt !== undefined || !lettered.has(email.invoiceId)) continue;
    email.openAt = Date.now() + between(random, LATE_FROM_MS, Math.max(LATE_FROM_MS, Math.round(plan.lateOpeningWindowMs * LATE_WINDOW_SHARE)));
  }
}

/** The right code on the link page: the PDF comes back, and the partner tells our webhook. */
async function openDue(emails: Map<string, LinkEmail>, say: (line: string) => void): Promise<void> {
  for (const email of emails.values()) {
    if (email.opened || email.openAt === undefined || email.openAt > Date.now()) continue;
    const response = await fetch(email.link, { method: 'POST', body: new URLSearchParams({ code: email.accessCode }) });
    const type = response.headers.get('content-type') ?? '';
    await response.arrayBuffer();
    if (response.status !== 200 || !type.startsWith('application/pdf')) throw new Error(`the link page of invoice ${email.invoiceNo} answered ${response.status} (${type}) to its right code`);
    email.opened = true;
    say(`end customer opened invoice ${email.invoiceNo} ${email.fate === 'in time' ? 'inside its opening wait' : 'after its letter'}`);
  }
}

const webhookStateSchema = z.object({ deliveries: z.array(z.object({ link: z.object({ webhook: z.object({ outcome: z.string() }).nullable() }).optional() })) });

/**
 * How many openings the partner is still trying to tell our webhook about. The write-back waits for
 * none: an invoice written back may complete once its late-opening window is over, and an opening
 * still on its way would then find it closed (409), through no fault of the service.
 */
export async function openingsOnTheirWay(partnerUrl: string): Promise<number> {
  const { deliveries } = await getJson(`${partnerUrl}_emulator/deliveries?channel=email-link`, webhookStateSchema);
  return deliveries.filter((d) => d.link?.webhook?.outcome === 'pending').length;
}

async function getJson<T>(url: string, schema: z.ZodType<T>): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return schema.parse(await response.json());
}
