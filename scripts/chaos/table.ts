import type { ChaosReport } from './campaign';
import { duplicateKinds, lostKinds, type DuplicateKind, type LostKind } from './census';
import { busiestWindows } from './rate-limits';

/** The one table a campaign prints (Markdown, so it can be pasted into the README as it is). */
const duplicateLabels: Record<DuplicateKind, string> = {
  bookings: 'bookings',
  sends: 'sends (EHF, e-mail)',
  letters: 'letters',
  lettersDespiteOpening: 'letters (sent although opened in time)',
  deliveredCalls: '`delivered` calls',
  statusUpdates: 'status updates',
  vouchers: 'vouchers',
  payments: 'payments',
};
const lostLabels: Record<LostKind, string> = {
  notBooked: 'not booked',
  notSent: 'not sent',
  lettersNotSent: 'letter not sent (e-mail with link not opened in its wait)',
  openingsNotDelivered: 'opening never accepted by our webhook (the partner gave up)',
  openingsNotRecorded: 'opening not recorded (our webhook accepted it)',
  notWrittenBack: 'not written back',
  paymentsNotRegistered: 'payment not registered',
  vouchersNotPosted: 'voucher not posted',
};

export function chaosTable(report: ChaosReport): string {
  const { census, options } = report;
  const examples = (list: string[]) => (list.length ? ` (${list.slice(0, 10).join(', ')}${list.length > 10 ? ', …' : ''})` : '');
  const totalLost = Object.values(census.lost).reduce((a, b) => a + b, 0);
  const rows: [string, string][] = [
    ['invoices', String(options.invoices)],
    ['workers', String(options.workers)],
    ['kills (worker / server / emulator restarts)', `${report.kills.worker} / ${report.kills.server} / ${report.kills.emulator}`],
    ['PowerOffice busiest second v1 / v2 (limit), all workers together', busiestWindows(report.rateLimits)],
    ['throttled by the rate limit v1 / v2 (429 not injected)', `${report.rateLimits.v1.throttled} / ${report.rateLimits.v2.throttled}`],
    ['faults injected (before / after processing)', `${report.faults.before} / ${report.faults.after}`],
    [
      `e-mails with link (opening wait ${report.openingWait.openingWaitSeconds} s): opened (after the letter) / letters`,
      `${census.linkEmails}: ${census.openings} (${census.lateOpenings}) / ${census.lettersAfterEmail}`,
    ],
    [
      'lost',
      totalLost === 0
        ? '0'
        : lostKinds
            .filter((k) => census.lost[k] > 0)
            .map((k) => `${census.lost[k]} ${lostLabels[k]}${examples(census.lostExamples[k])}`)
            .join('; '),
    ],
    ...duplicateKinds.map((k): [string, string] => [`duplicated ${duplicateLabels[k]}`, `${census.duplicated[k]}${examples(census.duplicatedExamples[k])}`]),
    ['OCR payments kept aside (every one pays a booked invoice)', `${report.ocr.keptAside.length}${examples(report.ocr.keptAside.map((k) => `line ${k.line}: ${k.reason}`))}`],
    ['stuck workflows', `${census.stuck.length}${examples(census.stuck.map((s) => `${s.workflowId}: ${s.why}`))}`],
    ["settled after the last kill (or the workload's end, if later)", report.settledAfterLastKillSeconds === null ? `not within ${options.settleTimeoutSeconds} s` : `${report.settledAfterLastKillSeconds.toFixed(1)} s`],
    [
      'seconds per step (distribution / openings and letters / write-back / OCR import / return data / settling)',
      ['distribution', 'openings and letters', 'write-back', 'OCR import', 'return data', 'settling'].map((k) => report.stageSeconds[k] ?? '–').join(' / '),
    ],
    ['worker start to polling (median / max)', `${report.workerPollingAfterSeconds.median.toFixed(1)} s / ${report.workerPollingAfterSeconds.max.toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    `chaos: seed ${options.seed}, ${options.invoices} invoices, ${options.workers} workers, ${Math.round(options.faultRate * 100)} % faults, ${report.durationSeconds} s: ${report.passed ? 'PASSED' : 'FAILED'}`,
    '',
    `| ${'what'.padEnd(width)} | count |`,
    `| ${'-'.repeat(width)} | ----- |`,
    ...rows.map(([label, value]) => `| ${label.padEnd(width)} | ${value} |`),
    ...lostAnswers(report.faults.afterByRoute),
  ].join('\n');
}

/** Where answers were lost after processing: the likely cause of a duplicate. */
function lostAnswers(byRoute: Record<string, number>): string[] {
  const entries = Object.entries(byRoute).filter(([, n]) => n > 0);
  if (entries.length === 0) return [];
  return ['', `answers lost after processing: ${entries.map(([route, n]) => `${route} ${n}`).join(', ')}`];
}
