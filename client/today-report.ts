import { WorkflowNotFoundError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/common';
import { isNorwegianWorkingDay } from '../domain/norwegian-calendar';
import { osloDate, osloIso } from '../domain/oslo-time';
import { batchProgressQuery, invoiceStatusQuery, writeBackProgressQuery, type BatchProgress, type InvoiceStatus, type UnreadableInvoiceReport, type WriteBackProgress } from '../workflows/messages';
import { clientReturnDataQuery, clientReturnDataWorkflowId } from '../workflows/return-data-messages';
import { ClientId, DistributionState, InvoiceNo } from '../workflows/search-attributes';
import { bounded, type Bounded } from './human-output';
import { reasonsOf } from './rejected-invoices';
import { listUnmatchedPayments } from './unmatched-payments';
import { writeBackFailures } from './write-back-failures';

/**
 * The operator's morning (`npm run -s today`), from Temporal alone: visibility (search attributes)
 * for what to count and list, and the workflows' own results and queries for the details of the
 * rows shown. Counts are exact; details are fetched only for the rows a section shows, so the page
 * costs the same on a quiet day and on a day with a thousand rejections.
 */
export interface TodayReport {
  /** When the page was made, ISO 8601 with Oslo's offset. */
  generatedAt: string;
  /** Only this client's figures (unmatched payments belong to no client yet: all are shown). */
  clientId?: string;
  batches: { since: string; runs: Bounded<BatchLine> };
  notDistributed: { rejected: number; failed: number; invoices: Bounded<NotDistributedLine> };
  letters: { openingWaitSeconds: number; sentToday: Bounded<LetterLine> };
  openings: OpeningDay[];
  writeBack: { pending: number; failed: number; lastRun?: WriteBackRunLine; failures: Bounded<WriteBackFailureRow> };
  unmatchedPayments: { imports: number; payments: Bounded<UnmatchedPaymentLine> };
  returnDataBlocked: Bounded<BlockedClientLine>;
}

export interface BatchLine {
  workflowId: string;
  startedAt: string;
  /** running, completed, failed, terminated, … (the latest run's). */
  status: string;
  /** Why it failed, when it did. */
  reason?: string;
  clients: number;
  fetched: number;
  started: number;
  alreadyStarted: number;
  byChannel: Record<string, number>;
  rejected: number;
  failed: number;
  /** Invoices PowerOffice GO listed that could not be read: no workflow, so only the batch knows them. */
  unreadable: number;
  unreadableInvoices: UnreadableInvoiceReport[];
}

export interface NotDistributedLine {
  clientId: string;
  invoiceNo: number;
  /** Rejected: the client's data must change; Failed: technical, for Factoring Finans. */
  state: 'Rejected' | 'Failed';
  since: string;
  reasons: string[];
  workflowId: string;
}

export interface LetterLine {
  clientId: string;
  invoiceNo: number;
  workflowId: string;
  emailSentAt?: string;
  letterSentAt?: string;
}

/** E-mails with link and code by the Oslo day they went out, and how each has gone since. */
export interface OpeningDay {
  date: string;
  sent: number;
  opened: number;
  waiting: number;
  letterSent: number;
}

export interface WriteBackRunLine {
  workflowId: string;
  startedAt: string;
  status: string;
  closedAt?: string;
  reason?: string;
  writtenBack: number;
  upToDate: number;
  failed: number;
  unanswered: number;
}

export interface WriteBackFailureRow {
  clientId: string;
  invoiceNo: number;
  reason: string;
}

export interface UnmatchedPaymentLine {
  importId: string;
  transmissionNumber: string;
  importedAt: string;
  line: number;
  amountOre: number;
  status: string;
  explanation: string;
}

export interface BlockedClientLine {
  clientId: string;
  problems: string[];
}

export interface TodayOptions {
  clientId?: string;
  rows: number;
  openingWaitSeconds: number;
  now?: Date;
}

/** How long a query may wait for a worker; without one the row says so instead of the details. */
const QUERY_PATIENCE_MS = 5_000;
/** Describes and queries in flight at once: a morning with hundreds of rejections must not flood the frontend. */
const CONCURRENCY = 8;
/** Days of e-mails with link in the openings table: long enough to see the wait end in a letter. */
const OPENING_DAYS = 5;
const DAY_MS = 24 * 3600_000;
const NO_WORKER = 'no worker answered for the details; is one running (npm run worker)?';

export async function todayReport(temporal: Client, options: TodayOptions): Promise<TodayReport> {
  const now = options.now ?? new Date();
  const today = osloDate(now);
  const scope = options.clientId ? ` AND ClientId = '${options.clientId}'` : '';
  const ctx: Context = { temporal, scope, rows: options.rows, ...(options.clientId ? { clientId: options.clientId } : {}) };
  const since = lastWorkingDayBefore(today);
  const [batches, notDistributed, letters, openings, writeBack, unmatchedPayments, returnDataBlocked] = await Promise.all([
    batchLines(ctx, osloMidnight(since)),
    notDistributedInvoices(ctx),
    lettersSentOn(ctx, today, options.openingWaitSeconds),
    openingDays(ctx, today),
    writeBackState(ctx, now),
    unmatched(ctx),
    blockedReturnData(ctx),
  ]);
  return {
    generatedAt: osloIso(now),
    ...(options.clientId ? { clientId: options.clientId } : {}),
    batches: { since, runs: batches },
    notDistributed,
    letters: { openingWaitSeconds: options.openingWaitSeconds, sentToday: letters },
    openings,
    writeBack,
    unmatchedPayments,
    returnDataBlocked,
  };
}

interface Context {
  temporal: Client;
  /** ` AND ClientId = '…'` or nothing. */
  scope: string;
  clientId?: string;
  rows: number;
}

// ---- dates

/** The working day before `date` (YYYY-MM-DD, Oslo): Friday for a Monday, the day before Easter for Easter Tuesday. */
export function lastWorkingDayBefore(date: string): string {
  let day = addDays(date, -1);
  while (!isNorwegianWorkingDay(day)) day = addDays(day, -1);
  return day;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The instant Oslo's day `date` begins (00:00 at +01:00 or +02:00). */
export function osloMidnight(date: string): Date {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  for (const hours of [1, 2]) {
    const candidate = new Date(utcMidnight - hours * 3600_000);
    if (osloIso(candidate).startsWith(`${date}T00:00:00`)) return candidate;
  }
  throw new RangeError(`no Oslo midnight found for ${date}`);
}

const visibilityTime = (instant: Date) => `'${instant.toISOString()}'`;

// ---- helpers

async function listAll(temporal: Client, query: string): Promise<WorkflowExecutionInfo[]> {
  const runs: WorkflowExecutionInfo[] = [];
  for await (const run of temporal.workflow.list({ query })) runs.push(run);
  return runs;
}

/** The latest run of each workflow id among `runs`. */
function latestRuns(runs: readonly WorkflowExecutionInfo[]): WorkflowExecutionInfo[] {
  const latest = new Map<string, WorkflowExecutionInfo>();
  for (const run of runs) {
    const known = latest.get(run.workflowId);
    if (!known || run.startTime > known.startTime) latest.set(run.workflowId, run);
  }
  return [...latest.values()];
}

async function inParallel<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, lane));
  return results;
}

/**
 * A running workflow answers its query (through a worker); a closed one is read from its result,
 * which needs no worker. undefined when neither answers (no worker, or the run failed).
 */
async function answerOf<T>(temporal: Client, run: WorkflowExecutionInfo, query: QueryDefinition<T>): Promise<T | undefined> {
  const handle = temporal.workflow.getHandle(run.workflowId, run.runId);
  try {
    if (run.status.name === 'COMPLETED') return (await handle.result()) as T;
    return await temporal.connection.withDeadline(Date.now() + QUERY_PATIENCE_MS, () => handle.query(query));
  } catch {
    return undefined;
  }
}

const count = async (temporal: Client, query: string) => (await temporal.workflow.count(query)).count;

// ---- sections

async function batchLines(ctx: Context, since: Date): Promise<Bounded<BatchLine>> {
  const runs = await listAll(ctx.temporal, `WorkflowType = 'batchWorkflow' AND StartTime >= ${visibilityTime(since)}`);
  // A batch that continued as new is one batch: its first run's start, its latest run's state.
  const firstStart = new Map<string, Date>();
  for (const run of runs) {
    const known = firstStart.get(run.workflowId);
    if (!known || run.startTime < known) firstStart.set(run.workflowId, run.startTime);
  }
  const latest = latestRuns(runs).sort((a, b) => firstStart.get(b.workflowId)!.getTime() - firstStart.get(a.workflowId)!.getTime());
  const shown = bounded(latest, ctx.rows);
  const rows = await inParallel(shown.rows, async (run): Promise<BatchLine> => {
    const progress = await answerOf<BatchProgress>(ctx.temporal, run, batchProgressQuery);
    const status = run.status.name.toLowerCase();
    const reason = run.status.name === 'FAILED' ? (await reasonsOf(ctx.temporal, run.workflowId, run.runId)).join('; ') : undefined;
    const clients = Object.entries(progress?.clients ?? {}).filter(([clientId]) => !ctx.clientId || clientId === ctx.clientId);
    const sum = (pick: (c: BatchProgress['clients'][string]) => number) => clients.reduce((n, [, c]) => n + pick(c), 0);
    const byChannel: Record<string, number> = {};
    for (const [, c] of clients) for (const [channel, n] of Object.entries(c.byChannel)) byChannel[channel] = (byChannel[channel] ?? 0) + n;
    return {
      workflowId: run.workflowId,
      startedAt: osloIso(firstStart.get(run.workflowId)!),
      status,
      ...(reason ? { reason } : {}),
      clients: clients.length,
      fetched: sum((c) => c.started + c.alreadyStarted + (c.unreadable ?? 0)),
      started: sum((c) => c.started),
      alreadyStarted: sum((c) => c.alreadyStarted),
      byChannel,
      rejected: sum((c) => c.rejected),
      failed: sum((c) => c.failed ?? 0),
      unreadable: sum((c) => c.unreadable ?? 0),
      unreadableInvoices: (progress?.unreadable ?? []).filter((u) => !ctx.clientId || u.clientId === ctx.clientId),
    };
  });
  return { total: shown.total, rows };
}

/**
 * Invoices whose latest run is Rejected or Failed. A rejected run that failed on purpose is
 * superseded once a later batch starts the invoice again, so a closed run counts only while it is
 * still the invoice's latest (one describe each; a running run is the latest by definition).
 */
async function notDistributedInvoices(ctx: Context): Promise<TodayReport['notDistributed']> {
  const query = `WorkflowType = 'invoiceWorkflow' AND (DistributionState IN ('Rejected', 'Failed') OR ExecutionStatus = 'Failed')${ctx.scope}`;
  const candidates = latestRuns(await listAll(ctx.temporal, query));
  const current = await inParallel(candidates, async (run) => {
    if (run.status.name === 'RUNNING') return true;
    try {
      return (await ctx.temporal.workflow.getHandle(run.workflowId).describe()).runId === run.runId;
    } catch (err) {
      return !(err instanceof WorkflowNotFoundError);
    }
  });
  const outstanding = candidates
    .filter((_, i) => current[i])
    .map((run) => ({ run, state: run.typedSearchAttributes.get(DistributionState) === 'Rejected' ? ('Rejected' as const) : ('Failed' as const) }))
    .sort((a, b) => clientAndNumber(a.run, b.run));
  const shown = bounded(outstanding, ctx.rows);
  const rows = await inParallel(shown.rows, async ({ run, state }): Promise<NotDistributedLine> => {
    const reasons = run.status.name === 'RUNNING' ? ((await answerOf<InvoiceStatus>(ctx.temporal, run, invoiceStatusQuery))?.reasons ?? [NO_WORKER]) : await reasonsOf(ctx.temporal, run.workflowId, run.runId);
    return { ...identify(run), state, since: osloIso(run.closeTime ?? run.startTime), reasons };
  });
  return { rejected: outstanding.filter((o) => o.state === 'Rejected').length, failed: outstanding.filter((o) => o.state === 'Failed').length, invoices: { total: shown.total, rows } };
}

function identify(run: WorkflowExecutionInfo): { clientId: string; invoiceNo: number; workflowId: string } {
  return { clientId: run.typedSearchAttributes.get(ClientId) ?? '?', invoiceNo: run.typedSearchAttributes.get(InvoiceNo) ?? 0, workflowId: run.workflowId };
}

function clientAndNumber(a: WorkflowExecutionInfo, b: WorkflowExecutionInfo): number {
  const x = identify(a);
  const y = identify(b);
  return x.clientId.localeCompare(y.clientId) || x.invoiceNo - y.invoiceNo;
}

/**
 * Letters sent today because an e-mail with link was not opened in time. Visibility keeps no time
 * per state, but the letter follows the e-mail by the opening wait: the invoices started one wait
 * before today that are now LetterSent (an invoice is sent within minutes of its start).
 */
async function lettersSentOn(ctx: Context, today: string, openingWaitSeconds: number): Promise<Bounded<LetterLine>> {
  const from = new Date(osloMidnight(today).getTime() - openingWaitSeconds * 1000);
  const to = new Date(osloMidnight(addDays(today, 1)).getTime() - openingWaitSeconds * 1000);
  const query = `WorkflowType = 'invoiceWorkflow' AND DistributionState = 'LetterSent' AND StartTime >= ${visibilityTime(from)} AND StartTime < ${visibilityTime(to)}${ctx.scope}`;
  const runs = latestRuns(await listAll(ctx.temporal, query)).sort(clientAndNumber);
  const shown = bounded(runs, ctx.rows);
  const rows = await inParallel(shown.rows, async (run): Promise<LetterLine> => {
    const status = await answerOf<InvoiceStatus>(ctx.temporal, run, invoiceStatusQuery);
    const sentAt = (channel: string) => status?.sends.find((s) => s.channel === channel)?.sentAt;
    const email = sentAt('email-link');
    const letter = sentAt('letter');
    return { ...identify(run), ...(email ? { emailSentAt: osloIso(new Date(email)) } : {}), ...(letter ? { letterSentAt: osloIso(new Date(letter)) } : {}) };
  });
  return { total: shown.total, rows };
}

/** Counts only: four per day, whatever the number of e-mails. */
async function openingDays(ctx: Context, today: string): Promise<OpeningDay[]> {
  const days = Array.from({ length: OPENING_DAYS }, (_, i) => addDays(today, -i));
  return Promise.all(
    days.map(async (date): Promise<OpeningDay> => {
      const base = `WorkflowType = 'invoiceWorkflow' AND Channel = 'email-link' AND StartTime >= ${visibilityTime(osloMidnight(date))} AND StartTime < ${visibilityTime(osloMidnight(addDays(date, 1)))}${ctx.scope}`;
      const [sent, opened, waiting, letterSent] = await Promise.all(
        ['', " AND DistributionState = 'Opened'", " AND DistributionState = 'Waiting'", " AND DistributionState = 'LetterSent'"].map((extra) => count(ctx.temporal, base + extra)),
      );
      return { date, sent: sent!, opened: opened!, waiting: waiting!, letterSent: letterSent! };
    }),
  );
}

async function writeBackState(ctx: Context, now: Date): Promise<TodayReport['writeBack']> {
  const invoices = `WorkflowType = 'invoiceWorkflow' AND ExecutionStatus = 'Running'${ctx.scope}`;
  const [pending, failed, failures, lastRun] = await Promise.all([
    count(ctx.temporal, `${invoices} AND WriteBack = 'Pending'`),
    count(ctx.temporal, `${invoices} AND WriteBack = 'Failed'`),
    writeBackFailures(ctx.temporal, { ...(ctx.clientId ? { clientId: ctx.clientId } : {}), limit: ctx.rows }),
    lastWriteBackRun(ctx, now),
  ]);
  return { pending, failed, ...(lastRun ? { lastRun } : {}), failures: { total: failures.total, rows: failures.rows.map(({ clientId, invoiceNo, reason }) => ({ clientId, invoiceNo, reason })) } };
}

/** The latest write-back run of the last two weeks (the schedule runs every working day). */
async function lastWriteBackRun(ctx: Context, now: Date): Promise<WriteBackRunLine | undefined> {
  const runs = await listAll(ctx.temporal, `WorkflowType = 'writeBackWorkflow' AND StartTime >= ${visibilityTime(new Date(now.getTime() - 14 * DAY_MS))}`);
  if (runs.length === 0) return undefined;
  const newest = runs.reduce((a, b) => (b.startTime > a.startTime ? b : a));
  const firstStart = runs.filter((r) => r.workflowId === newest.workflowId).reduce((a, b) => (b.startTime < a.startTime ? b : a)).startTime;
  const progress = await answerOf<WriteBackProgress>(ctx.temporal, newest, writeBackProgressQuery);
  const clients = Object.entries(progress?.clients ?? {}).filter(([clientId]) => !ctx.clientId || clientId === ctx.clientId);
  const sum = (pick: (c: WriteBackProgress['clients'][string]) => number) => clients.reduce((n, [, c]) => n + pick(c), 0);
  const reason = newest.status.name === 'FAILED' ? (await reasonsOf(ctx.temporal, newest.workflowId, newest.runId)).join('; ') : undefined;
  return {
    workflowId: newest.workflowId,
    startedAt: osloIso(firstStart),
    status: newest.status.name.toLowerCase(),
    ...(newest.closeTime ? { closedAt: osloIso(newest.closeTime) } : {}),
    ...(reason ? { reason } : {}),
    writtenBack: sum((c) => c.writtenBack),
    upToDate: sum((c) => c.upToDate),
    failed: sum((c) => c.failed),
    unanswered: ctx.clientId ? 0 : (progress?.unanswered ?? 0),
  };
}

async function unmatched(ctx: Context): Promise<TodayReport['unmatchedPayments']> {
  const imports = await listUnmatchedPayments(ctx.temporal);
  const payments = imports.flatMap((entry) =>
    entry.keptAside.map(
      (payment): UnmatchedPaymentLine => ({
        importId: entry.workflowId,
        transmissionNumber: entry.transmissionNumber,
        importedAt: osloIso(entry.importedAt),
        line: payment.line,
        amountOre: payment.amountOre,
        status: payment.status,
        explanation: payment.explanation,
      }),
    ),
  );
  return { imports: imports.length, payments: bounded(payments, ctx.rows) };
}

async function blockedReturnData(ctx: Context): Promise<Bounded<BlockedClientLine>> {
  const scope = ctx.clientId ? ` AND WorkflowId = '${clientReturnDataWorkflowId(ctx.clientId)}'` : '';
  const runs = latestRuns(await listAll(ctx.temporal, `WorkflowType = 'clientReturnDataWorkflow' AND ExecutionStatus = 'Running' AND ReturnData = 'Blocked'${scope}`));
  const clientOf = (run: WorkflowExecutionInfo) => run.workflowId.replace(/^return-data-client-/, '');
  runs.sort((a, b) => clientOf(a).localeCompare(clientOf(b)));
  const shown = bounded(runs, ctx.rows);
  const rows = await inParallel(shown.rows, async (run): Promise<BlockedClientLine> => {
    const state = await answerOf(ctx.temporal, run, clientReturnDataQuery);
    return { clientId: clientOf(run), problems: state ? (state.lastReport?.problems ?? []) : [NO_WORKER] };
  });
  return { total: shown.total, rows };
}
