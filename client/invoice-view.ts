import { osloNorwegianDateTime } from '../domain/oslo-time';
import type { InvoiceFound } from './invoice-lookup';

const CHANNEL_NAMES: Record<string, string> = {
  ehf: 'EHF e-invoice',
  'email-link': 'e-mail with link and code',
  'email-pdf': 'e-mail with PDF',
  letter: 'letter',
};

export const channelName = (channel: string) => CHANNEL_NAMES[channel] ?? channel;
const when = (iso: string) => osloNorwegianDateTime(new Date(iso));

/** An aligned block of "label  value" lines; a value of several lines continues under the first. */
function rows(entries: [string, string[]][]): string[] {
  const width = Math.max(...entries.map(([label]) => label.length));
  return entries.flatMap(([label, values]) => values.map((value, i) => `  ${(i === 0 ? label : '').padEnd(width)}  ${value}`));
}

/** What `invoice show` prints for a person: state first, then how it went out and what PowerOffice GO knows. */
export function invoiceText(found: InvoiceFound & { webUi?: string }): string {
  const { status } = found;
  const entries: [string, string[]][] = [];
  if (status.channel) entries.push(['channel', [`${channelName(status.channel)}${status.channelReason ? `: ${status.channelReason}` : ''}`]]);
  if (status.kid) entries.push(['KID', [status.kid]]);
  entries.push(['sends', status.sends.length === 0 ? ['none yet'] : status.sends.map((s) => `${when(s.sentAt)}  ${channelName(s.channel)}  (delivery ${s.deliveryId})`)]);
  if (status.openedAt) entries.push(['opened', [`${when(status.openedAt)}${status.openedAfterLetter ? ' (after the letter had gone)' : ''}`]]);
  if (status.ignoredOpeningCount) entries.push(['ignored openings', [`${status.ignoredOpeningCount}: ${status.ignoredOpenings?.at(-1)?.reason ?? ''}`]]);
  if (status.writeBack) {
    const { state, reportedSends, writtenBackAt, reason } = status.writeBack;
    const told = `${reportedSends} of ${status.sends.length} send(s) reported to PowerOffice GO`;
    entries.push(['write-back', [`${state}: ${told}${writtenBackAt ? `, last ${when(writtenBackAt)}` : ''}${reason ? `; ${reason}` : ''}`]]);
  }
  if (status.letterCancelled) entries.push(['letter', ['cancelled by an operator: none goes after the wait']]);
  if (status.reasons?.length) entries.push([status.state === 'Rejected' ? 'rejected because' : 'failed because', status.reasons]);
  if (status.reassessments) entries.push(['assessed again', [`${status.reassessments} time(s)`]]);
  if (status.operatorActions?.length) {
    entries.push([
      'operator actions',
      status.operatorActions.map((a) => `${when(a.at)}  ${a.action}${a.channel ? ` (${channelName(a.channel)})` : ''} by ${a.by}${a.reason ? `: ${a.reason}` : ''}`),
    ]);
  }
  if (status.resentFrom) {
    const { resendNo, runId, action } = status.resentFrom;
    entries.push(['resend run', [`this run sends resend ${resendNo} (${channelName(action.channel ?? '')}, asked ${when(action.at)} by ${action.by}) after run ${runId} had completed`]]);
  }
  const runs = found.earlierRuns > 0 ? `; ${found.earlierRuns} earlier run(s)` : '';
  entries.push(['workflow', [`${found.workflowId} (${found.runStatus.toLowerCase()}, started ${when(found.startedAt)}${runs})`]]);
  if (found.webUi) entries.push(['Web UI', [found.webUi]]);
  return [`Invoice ${found.invoiceNo} of client ${found.clientId}: ${status.state}`, ...rows(entries)].join('\n');
}
