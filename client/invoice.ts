import { userInfo } from 'node:os';
import type { Client } from '@temporalio/client';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { osloNorwegianDateTime } from '../domain/oslo-time';
import {
  cancelLetterUpdate,
  markOpenedUpdate,
  resendChannels,
  retryUpdate,
  withdrawUpdate,
  type InvoiceStatus,
  type OperatorActionKind,
  type OperatorRequest,
  type ResendChannel,
} from '../workflows/messages';
import { clientIdArgument, configOrRefuse, integerIn, newCommand, runCommand, UsageError, withTemporal } from './command-line';
import { resendInvoice, restartFailedInvoice, updateInvoice, type InvoiceActionResult } from './invoice-actions';
import { findInvoice, KID_PATTERN, type InvoiceFound, type InvoiceKey } from './invoice-lookup';
import { channelName, invoiceText } from './invoice-view';
import { workflowUiUrl } from './web-ui';

/**
 * `npm run -s invoice -- <subcommand> --client-id 1001 (--invoice-no 20001 | --kid KID) [--json]`:
 * one invoice as an operator asks about it on the phone (show), and what an operator does to it
 * (retry, resend, mark-opened, cancel-letter, withdraw: Updates on its workflow, refused with a
 * sentence where they do not apply, recorded with who and why in its history).
 */
const program = newCommand('invoice', 'One invoice of a client, found by its invoice number or KID: shown, or acted on.');

interface FindOptions {
  clientId: string;
  invoiceNo?: number;
  kid?: string;
  json?: boolean;
}

interface ActionOptions extends FindOptions {
  by: string;
  reason?: string;
}

function kidArgument(value: string): string {
  if (!KID_PATTERN.test(value)) throw new InvalidArgumentError('expected a KID: 2-25 digits (the last may be -).');
  return value;
}

/** The options every subcommand has: the client, and the invoice by number or KID. */
function invoiceSubcommand(name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .requiredOption('--client-id <id>', 'the client, as onboarded', clientIdArgument)
    .option('--invoice-no <n>', "the invoice's number in PowerOffice GO (or --kid)", integerIn(1, Number.MAX_SAFE_INTEGER))
    .option('--kid <kid>', "the invoice's KID, the payment reference (or --invoice-no)", kidArgument);
}

function keyOf({ invoiceNo, kid }: FindOptions): InvoiceKey {
  if ((invoiceNo === undefined) === (kid === undefined)) throw new UsageError('name the invoice with exactly one of --invoice-no <n> or --kid <kid>');
  return kid !== undefined ? { kid } : { invoiceNo: invoiceNo! };
}

/** Who acts: the --by option, else the operator's login name. */
function defaultOperator(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

function withOperatorOptions(command: Command, reason: 'required' | 'optional'): Command {
  command.option('--by <name>', "who acts, recorded in the invoice's history (default: your user name)", defaultOperator());
  if (reason === 'required') command.requiredOption('--reason <text>', "why, recorded in the invoice's history");
  else command.option('--reason <text>', "why, recorded in the invoice's history");
  return command.option('--json', 'the outcome as JSON, for scripts');
}

invoiceSubcommand('show', "The invoice's state, channel and why, every send and when, KID, write-back, openings, rejection reasons, operator actions and its workflow.")
  .option('--json', 'the invoice as JSON, for scripts')
  .action(async (options: FindOptions) => {
    const key = keyOf(options);
    const config = configOrRefuse();
    await withTemporal(config.temporal, async (temporal) => {
      const lookedUp = await findInvoice(temporal, options.clientId, key);
      const found = { ...lookedUp, webUi: workflowUiUrl(config.webUiUrl, config.temporal.namespace, lookedUp.workflowId, lookedUp.runId) };
      console.log(options.json ? JSON.stringify(found, null, 2) : invoiceText(found));
    });
  });

/** Finds the invoice, runs `act` on it, prints the sentence (or JSON). */
type ActionOutcome = Omit<InvoiceActionResult, 'action' | 'clientId' | 'invoiceNo' | 'workflowId'>;

async function act(
  action: OperatorActionKind,
  options: ActionOptions,
  run: (temporal: Client, found: InvoiceFound, request: OperatorRequest) => Promise<ActionOutcome>,
  sentence: (found: InvoiceFound, status: InvoiceStatus, request: OperatorRequest, outcome: ActionOutcome) => string,
): Promise<void> {
  const key = keyOf(options);
  const request: OperatorRequest = { by: options.by, ...(options.reason !== undefined ? { reason: options.reason } : {}) };
  const config = configOrRefuse();
  await withTemporal(config.temporal, async (temporal) => {
    const found = await findInvoice(temporal, options.clientId, key);
    const outcome = await run(temporal, found, request);
    const result: InvoiceActionResult = { action, clientId: found.clientId, invoiceNo: found.invoiceNo, workflowId: found.workflowId, ...outcome };
    console.log(options.json ? JSON.stringify(result, null, 2) : sentence(found, outcome.status, request, outcome));
  });
}

const invoiceName = (found: InvoiceFound) => `Invoice ${found.invoiceNo} of client ${found.clientId}`;
const reasonsText = (status: InvoiceStatus) => (status.reasons?.length ? status.reasons.join('; ') : 'no reason recorded');

/** What a (re)assessment led to, in a sentence's tail. */
function assessedText(status: InvoiceStatus): string {
  if (status.state === 'Rejected') return `still Rejected: ${reasonsText(status)}. Ask the client to fix it in PowerOffice GO; the next batch assesses it again`;
  if (status.state === 'Failed') return `Failed: ${reasonsText(status)}`;
  if (status.state === 'Fetched') return 'started again, still being assessed (invoice show tells how it went)';
  return `ready and on its way: ${status.state}${status.channel ? ` (${channelName(status.channel)})` : ''}`;
}

withOperatorOptions(invoiceSubcommand('retry', 'Assess a Rejected invoice again now (the client fixed the card), or start a Failed invoice anew.'), 'optional').action(async (options: ActionOptions) => {
  await act(
    'retry',
    options,
    async (temporal, found, request) => {
      if (found.runStatus === 'FAILED') {
        const action = { action: 'retry' as const, ...request, at: new Date().toISOString() };
        const restarted = await restartFailedInvoice(temporal, found, action);
        return { runId: restarted.runId, restarted: true, status: restarted.status };
      }
      return { runId: found.runId, restarted: false, status: await updateInvoice(temporal, found, retryUpdate, request) };
    },
    (found, status) => `${invoiceName(found)} assessed again: ${assessedText(status)}.`,
  );
});

const resendCommand = withOperatorOptions(
  invoiceSubcommand('resend', 'One more send on a channel (the customer lost it, a new address), reported to PowerOffice GO at the next write-back.').addOption(
    new Option('--channel <channel>', 'the channel to send on').choices([...resendChannels]).makeOptionMandatory(),
  ),
  'optional',
);
resendCommand.action(async (options: ActionOptions & { channel: ResendChannel }) => {
  await act(
    'resend',
    options,
    async (temporal, found, request) => resendInvoice(temporal, found, { ...request, channel: options.channel }),
    (found, status, _request, outcome) => {
      const last = status.sends.at(-1);
      const sent = last ? ` on ${osloNorwegianDateTime(new Date(last.sentAt))} (delivery ${last.deliveryId})` : '';
      if (outcome.repeated) return `${invoiceName(found)} was already sent again as ${channelName(options.channel)}${sent} by run ${outcome.runId}, for this same resend: not sent a second time. State: ${status.state}.`;
      const run = outcome.restarted ? ` by a new run of its workflow (run ${outcome.runId}; the run before had completed)` : '';
      return `${invoiceName(found)} sent again as ${channelName(options.channel)}${sent}${run}; PowerOffice GO hears of it at the next write-back. State: ${status.state}.`;
    },
  );
});

withOperatorOptions(invoiceSubcommand('mark-opened', 'Record that the customer confirmed the invoice (by phone): ends the 4-day wait like an opening, no letter follows.'), 'required').action(async (options: ActionOptions) => {
  await act(
    'mark-opened',
    options,
    async (temporal, found, request) => ({ runId: found.runId, restarted: false, status: await updateInvoice(temporal, found, markOpenedUpdate, request) }),
    (found, status, request) =>
      status.openedAfterLetter
        ? `${invoiceName(found)} recorded as opened after its letter had gone, by ${request.by}.`
        : `${invoiceName(found)} marked opened by ${request.by}: ${status.state}; no letter will follow.`,
  );
});

withOperatorOptions(invoiceSubcommand('cancel-letter', 'No letter after the 4-day wait: if the e-mail is not opened, the invoice ends LetterCancelled.'), 'required').action(async (options: ActionOptions) => {
  await act(
    'cancel-letter',
    options,
    async (temporal, found, request) => ({ runId: found.runId, restarted: false, status: await updateInvoice(temporal, found, cancelLetterUpdate, request) }),
    (found, status) => `${invoiceName(found)}: no letter will follow the wait; still ${status.state} for an opening, else it ends LetterCancelled.`,
  );
});

withOperatorOptions(invoiceSubcommand('withdraw', 'A credit note came or the client stops the claim: no further letter; the invoice ends Withdrawn.'), 'required').action(async (options: ActionOptions) => {
  await act(
    'withdraw',
    options,
    async (temporal, found, request) => ({ runId: found.runId, restarted: false, status: await updateInvoice(temporal, found, withdrawUpdate, request) }),
    (found, status) => `${invoiceName(found)} withdrawn: nothing more goes out. State: ${status.state}.`,
  );
});

void runCommand(program);
