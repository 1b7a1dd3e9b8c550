import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import got from 'got';
import type { InvoiceActionResult } from '../../client/invoice-actions';
import type { InvoiceFound } from '../../client/invoice-lookup';
import { synthesizeEhf } from '../../emulators/poweroffice/ehf/synthesize-ehf';
import { batchWorkflow } from '../../workflows/batch-workflow';
import { writeBackRequestedSignal } from '../../workflows/messages';
import { eventually } from '../helpers/eventually';
import { hasStackTrace, runProjectCommand } from '../helpers/run-command';
import { seedWithInvoices, startService, type ServiceUnderTest } from '../helpers/service';
import { startLocalTemporal } from '../helpers/temporal';
import { COMMAND_FILES, commandEnvironment } from './operator-commands';

/**
 * `npm run -s invoice -- retry|resend|mark-opened|cancel-letter|withdraw`: an operator acts on one
 * invoice found by number or KID, against the real dev server, a worker and the emulators.
 * 20001, 20004: EHF, Delivered. 20002, 20005: e-mail with link, Waiting. 20003: its customer has no
 * postal address (Rejected). 20006: PowerOffice GO serves no EHF for it (Failed).
 */
const CLIENT = `act${randomUUID().slice(0, 6).replace(/-/g, '')}`;
const seed = seedWithInvoices(6, CLIENT);
const company = seed.companies[0]!;
const emailCustomer = company.customers.find((c) => c.Number === 10011)!;
emailCustomer.OrganizationNumber = '910000012';
emailCustomer.InvoiceEmailAddress = 'faktura@example.no';
company.customers.find((c) => c.Number === 10012)!.MailAddress = { AddressLine1: null, ZipCode: null, City: null, CountryCode: 'NO' };
const failing = company.availableInvoices[5]!;
failing.customerCode = 10010;
failing.ehfXml = 'no document here';

describe('invoice retry, resend, mark-opened, cancel-letter, withdraw', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest;
  const run = (args: string[]) => runProjectCommand(COMMAND_FILES.invoice, args, commandEnvironment(env, service));
  const ask = (subcommand: string, invoiceNo: number, ...rest: string[]) => run([subcommand, '--client-id', CLIENT, '--invoice-no', String(invoiceNo), '--by', 'ola', ...rest]);

  beforeAll(async () => {
    env = await startLocalTemporal();
    service = await startService(env, seed);
    await env.client.workflow.execute(batchWorkflow, { workflowId: `batch-${CLIENT}`, taskQueue: service.taskQueue, args: [{ force: true }] });
    const settled = (state: string) => `WorkflowType = 'invoiceWorkflow' AND ClientId = '${CLIENT}' AND DistributionState = '${state}'`;
    await eventually(async () => (await env.client.workflow.count(settled('Waiting'))).count, (count) => count === 2);
    await eventually(async () => (await env.client.workflow.count(settled('Delivered'))).count, (count) => count === 2);
    await eventually(async () => (await env.client.workflow.count(settled('Failed'))).count, (count) => count === 1);
  });
  afterAll(async () => {
    await service?.stop();
    await env?.teardown();
  });

  test('resend of a rejected invoice is refused with a sentence, exit 1', async () => {
    const refused = await ask('resend', 20003, '--channel', 'letter');

    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trim()).toBe(`invoice 20003 of client ${CLIENT} is Rejected (customer 10012 has no complete postal address (street, postal code and city) in PowerOffice GO): it has not been sent; fix the card, then invoice retry`);
    expect(hasStackTrace(refused.stderr)).toBe(false);
  });

  test('retry of a rejected invoice after the client fixed the card sends it and says so', async () => {
    const card = service.emulators.powerOffice.state.byClientId(CLIENT)!.customerByNumber(10012)!;
    card.MailAddress = { ...card.MailAddress, AddressLine1: 'Testveien 1', ZipCode: '0150', City: 'Oslo' };

    const retried = await ask('retry', 20003, '--reason', 'card fixed');

    expect(retried.stderr).toBe('');
    expect(retried.code).toBe(0);
    expect(retried.stdout.trim()).toMatch(new RegExp(`^Invoice 20003 of client ${CLIENT} assessed again: ready and on its way: (Sending|Delivered) \\(EHF e-invoice\\)\\.$`));
  });

  test('retry of a failed invoice starts it anew under the same workflow id, and --json tells scripts so', async () => {
    const invoice = service.emulators.powerOffice.state.byClientId(CLIENT)!.findInvoice(failing.id)!;
    invoice.ehfXml = synthesizeEhf({ name: company.name, organizationNumber: company.organizationNumber }, { ...failing, ehfXml: undefined }, company.customers.find((c) => c.Number === 10010));

    const retried = await ask('retry', 20006, '--json');

    expect(retried.code).toBe(0);
    const result = JSON.parse(retried.stdout) as InvoiceActionResult;
    expect(result).toMatchObject({ action: 'retry', invoiceNo: 20006, restarted: true, status: { operatorActions: [{ action: 'retry', by: 'ola' }] } });
    expect(result.status.state).not.toBe('Failed');
    const shown = JSON.parse((await run(['show', '--client-id', CLIENT, '--invoice-no', '20006', '--json'])).stdout) as InvoiceFound;
    expect(shown).toMatchObject({ workflowId: result.workflowId, runId: result.runId, runStatus: 'RUNNING', earlierRuns: 1 });
  });

  test('retry of an invoice that was not rejected is refused, exit 1', async () => {
    const refused = await ask('retry', 20001);

    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(`invoice 20001 of client ${CLIENT} is Delivered, not Rejected: only a rejected invoice is assessed again`);
  });

  test('resend sends once more on the channel asked and says PowerOffice GO hears of it at the next write-back', async () => {
    const resent = await ask('resend', 20002, '--channel', 'email-pdf', '--reason', 'the customer lost it');

    expect(resent.stderr).toBe('');
    expect(resent.code).toBe(0);
    expect(resent.stdout.trim()).toMatch(
      new RegExp(`^Invoice 20002 of client ${CLIENT} sent again as e-mail with PDF on \\d{2}\\.\\d{2}\\.\\d{4} \\d{2}:\\d{2} \\(delivery \\S+\\); PowerOffice GO hears of it at the next write-back\\. State: Waiting\\.$`),
    );
  });

  test('resend of a delivered invoice whose workflow completed after its write-back starts a new run that sends it, and show lists both sends', async () => {
    const { workflowId } = JSON.parse((await run(['show', '--client-id', CLIENT, '--invoice-no', '20004', '--json'])).stdout) as InvoiceFound;
    const completed = env.client.workflow.getHandle(workflowId);
    await completed.signal(writeBackRequestedSignal, {});
    await completed.result();
    await eventually(async () => (await env.client.workflow.count(`WorkflowId = '${workflowId}' AND ExecutionStatus = 'Completed'`)).count, (count) => count === 1);

    const resent = await ask('resend', 20004, '--channel', 'letter', '--reason', 'new address');

    expect(resent.stderr).toBe('');
    expect(resent.code).toBe(0);
    expect(resent.stdout.trim()).toMatch(
      new RegExp(
        `^Invoice 20004 of client ${CLIENT} sent again as letter on \\d{2}\\.\\d{2}\\.\\d{4} \\d{2}:\\d{2} \\(delivery \\S+\\) by a new run of its workflow \\(run \\S+; the run before had completed\\); PowerOffice GO hears of it at the next write-back\\. State: Delivered\\.$`,
      ),
    );
    const shown = await run(['show', '--client-id', CLIENT, '--invoice-no', '20004']);
    expect(shown.stdout).toMatch(/^ {2}sends +\d{2}\.\d{2}\.\d{4} \d{2}:\d{2} {2}EHF e-invoice {2}\(delivery \S+\)\n +\d{2}\.\d{2}\.\d{4} \d{2}:\d{2} {2}letter {2}\(delivery \S+\)$/m);
    expect(shown.stdout).toMatch(/^ {2}resend run +this run sends resend 1 \(letter, asked .+ by ola\) after run \S+ had completed$/m);
    expect(shown.stdout).toMatch(/^ {2}workflow .+\(running, started .+; 1 earlier run\(s\)\)/m);
  });

  test('the same resend again while its run is open answers with that run and sends nothing more (--json)', async () => {
    const again = await ask('resend', 20004, '--channel', 'letter', '--reason', 'new address', '--json');

    expect(again.code).toBe(0);
    const result = JSON.parse(again.stdout) as InvoiceActionResult;
    expect(result).toMatchObject({ action: 'resend', invoiceNo: 20004, restarted: false, repeated: true, status: { state: 'Delivered', resentFrom: { resendNo: 1 } } });
    expect(result.status.sends.map((s) => s.channel)).toEqual(['ehf', 'letter']);
    const { deliveries } = await got(`${service.emulators.distributionUrl}_emulator/deliveries`).json<{ deliveries: { idempotencyKey: string }[] }>();
    expect(deliveries.filter((d) => d.idempotencyKey.startsWith(`send:letter:${CLIENT}:`))).toHaveLength(1);
  });

  test('mark-opened on a waiting e-mail ends the wait, and show lists who did it and why', async () => {
    const marked = await ask('mark-opened', 20002, '--reason', 'confirmed by phone');

    expect(marked.code).toBe(0);
    expect(marked.stdout.trim()).toBe(`Invoice 20002 of client ${CLIENT} marked opened by ola: Opened; no letter will follow.`);
    const shown = await run(['show', '--client-id', CLIENT, '--invoice-no', '20002']);
    expect(shown.stdout).toMatch(/^ {2}operator actions {2}\d{2}\.\d{2}\.\d{4} \d{2}:\d{2} {2}resend \(e-mail with PDF\) by ola: the customer lost it$/m);
    expect(shown.stdout).toMatch(/^ {20}\d{2}\.\d{2}\.\d{4} \d{2}:\d{2} {2}mark-opened by ola: confirmed by phone$/m);
  });

  test('mark-opened, cancel-letter and withdraw of a delivered EHF invoice are refused, exit 1', async () => {
    const marked = await ask('mark-opened', 20001, '--reason', 'x');
    const cancelled = await ask('cancel-letter', 20001, '--reason', 'x');
    const withdrawn = await ask('withdraw', 20001, '--reason', 'x');

    expect([marked.code, cancelled.code, withdrawn.code]).toEqual([1, 1, 1]);
    expect(marked.stderr.trim()).toBe(`invoice 20001 of client ${CLIENT} is Delivered: only an e-mail with link waiting to be opened (or followed by its letter) can be marked opened`);
    expect(cancelled.stderr.trim()).toBe(`invoice 20001 of client ${CLIENT} is Delivered: only the letter of an e-mail with link still waiting to be opened can be cancelled`);
    expect(withdrawn.stderr.trim()).toBe(`invoice 20001 of client ${CLIENT} has already ended as Delivered: nothing more would go out to withdraw`);
  });

  test('cancel-letter on a waiting e-mail says no letter will follow', async () => {
    const cancelled = await ask('cancel-letter', 20005, '--reason', 'paid already');

    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout.trim()).toBe(`Invoice 20005 of client ${CLIENT}: no letter will follow the wait; still Waiting for an opening, else it ends LetterCancelled.`);
  });

  test('withdraw finds the invoice by its KID and ends it Withdrawn', async () => {
    const { status } = JSON.parse((await run(['show', '--client-id', CLIENT, '--invoice-no', '20005', '--json'])).stdout) as InvoiceFound;

    const withdrawn = await run(['withdraw', '--client-id', CLIENT, '--kid', status.kid!, '--reason', 'credit note 20007']);

    expect(withdrawn.stderr).toBe('');
    expect(withdrawn.code).toBe(0);
    expect(withdrawn.stdout.trim()).toBe(`Invoice 20005 of client ${CLIENT} withdrawn: nothing more goes out. State: Withdrawn.`);
  });

  test('usage errors, exit 2: a missing reason, both or neither of --invoice-no and --kid, an unknown channel', async () => {
    const noReason = await ask('withdraw', 20002);
    const both = await run(['retry', '--client-id', CLIENT, '--invoice-no', '20003', '--kid', '12345']);
    const neither = await run(['retry', '--client-id', CLIENT]);
    const badChannel = await ask('resend', 20002, '--channel', 'fax');

    expect([noReason.code, both.code, neither.code, badChannel.code]).toEqual([2, 2, 2, 2]);
    expect(noReason.stderr).toContain("required option '--reason <text>' not specified");
    expect(both.stderr).toContain('name the invoice with exactly one of --invoice-no <n> or --kid <kid>');
    expect(neither.stderr).toContain('name the invoice with exactly one of --invoice-no <n> or --kid <kid>');
    expect(badChannel.stderr).toContain("option '--channel <channel>' argument 'fax' is invalid. Allowed choices are letter, email-link, email-pdf, ehf.");
  });
});
