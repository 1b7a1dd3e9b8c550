import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { BatchProgress } from '../../workflows/messages';
import { eventually } from '../helpers/eventually';
import { hasStackTrace, runProjectCommand } from '../helpers/run-command';
import { seedWithInvoices, startService, type ServiceUnderTest } from '../helpers/service';
import { startLocalTemporal } from '../helpers/temporal';
import { COMMAND_FILES, commandEnvironment, observableState, type CommandName } from './operator-commands';

/**
 * The operator commands as an operator runs them (`node --import tsx …`, as npm does), against the
 * real dev server, a worker and the emulators over HTTP: what they print while a run goes on, when
 * it ends, and for client ids.
 */
const CLIENT = `cmd${randomUUID().slice(0, 6)}`;
const NEVER_ONBOARDED = `nev${randomUUID().slice(0, 6)}`;

describe('operator commands against a running service', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest;
  const run = (command: CommandName, args: string[], extraEnv: Record<string, string> = {}, timeoutMs?: number) =>
    runProjectCommand(COMMAND_FILES[command], args, { ...commandEnvironment(env, service), ...extraEnv }, timeoutMs ? { timeoutMs } : {});
  const powerOfficeLatency = async (latencyMs: number) => {
    for (const listener of ['v1', 'v2']) {
      await fetch(`${service.emulators.powerOfficeUrl}_emulator/faults/${listener}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs }) });
    }
  };

  beforeAll(async () => {
    env = await startLocalTemporal();
    service = await startService(env, seedWithInvoices(3, CLIENT));
  });
  afterAll(async () => {
    await service?.stop();
    await env?.teardown();
  });

  test('batch --force names its workflow, prints progress on stderr while it waits (plain lines, not a terminal), then a readable summary of what it started', async () => {
    const before = await observableState(env, service);
    // Slow PowerOffice answers make the run outlast the progress interval.
    await powerOfficeLatency(1_000);
    const batch = await run('batch', ['--force', '--progress-every', '1']).finally(() => powerOfficeLatency(0));

    expect(batch.code).toBe(0);
    const lines = batch.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Started batch batch-manual-\d{8}T\d{6} \(Web UI: filter on its workflow id\); waiting for it to finish…$/);
    expect(batch.stderr).toMatch(/^still running after \d+ s: \d+ invoice\(s\) started, \d+ already started, \d+ assessed, \d+ rejected, \d+ failed, across \d+ client\(s\)$/m);
    expect(batch.stderr).toMatch(/^ {2}client +fetched +started +assessed +sent +rejected +failed +unreadable$/m);
    expect(batch.stderr).toMatch(new RegExp(`^ {2}${CLIENT} +\\d+ +\\d+ +\\d+ +\\d+ +0 +0 +0$`, 'm'));
    // Not a terminal: no cursor movements, nothing rewritten.
    expect(batch.stderr).not.toContain('\u001b');
    expect(batch.stderr).not.toContain('\r');
    expect(batch.stdout).not.toContain('still running');
    expect(lines).toContainEqual(expect.stringMatching(/^Batch batch-manual-\S+ finished: 3 invoice\(s\) started, 0 already started earlier, 0 rejected, 0 failed, across 1 client\(s\)\.$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}client +started +invoices +credit notes +already started +assessed again +EHF +e-mail link +e-mail PDF +letter +rejected +failed +unreadable$/));
    // The test's customers are in the PEPPOL Directory: all three go as EHF.
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^ {2}${CLIENT} +3 +3 +0 +0 +0 +3 +0 +0 +0 +0 +0 +0$`)));
    // What the run did is visible where the "nothing changed" checks look.
    const after = await eventually(() => observableState(env, service), (state) => state.partnerDeliveries === 3);
    expect(after.workflows).toBeGreaterThan(before.workflows as number);
    expect(after.partnerDeliveries).toBe(3);
  });

  test('batch --force --json prints only the result on stdout, as JSON: a second batch starts nothing twice', async () => {
    const batch = await run('batch', ['--force', '--json']);

    expect(batch.code).toBe(0);
    expect(batch.stderr).toMatch(/^Started batch batch-manual-\S+ /);
    const result = JSON.parse(batch.stdout) as BatchProgress;
    expect(result.clients[CLIENT]).toEqual(expect.objectContaining({ started: 0, alreadyStarted: 3, rejected: 0 }));
    expect(result.done).toBe(true);
  });

  test('write-back --client writes back the sent invoices and says how many, per client', async () => {
    await eventually(
      async () => (await env.client.workflow.count(`WorkflowType = 'invoiceWorkflow' AND ClientId = '${CLIENT}' AND WriteBack = 'Pending'`)).count,
      (count) => count === 3,
    );

    const writeBack = await run('write-back', ['--force', '--client', CLIENT]);

    expect(writeBack.stderr).toBe('');
    expect(writeBack.code).toBe(0);
    expect(writeBack.stdout).toMatch(/^Write-back write-back-manual-\S+ finished: 3 written back, 0 up to date, 0 failed\.$/m);
    expect(writeBack.stdout).toMatch(/^ {2}client +written back +up to date +failed$/m);
    expect(writeBack.stdout).toMatch(new RegExp(`^ {2}${CLIENT} +3 +0 +0$`, 'm'));
  });

  test('a second write-back for the client says nothing was due for it, instead of a row of zeros', async () => {
    await eventually(
      async () => (await env.client.workflow.count(`WorkflowType = 'invoiceWorkflow' AND ClientId = '${CLIENT}' AND WriteBack = 'Done'`)).count,
      (count) => count === 3,
    );

    const writeBack = await run('write-back', ['--force', '--client', CLIENT]);

    expect(writeBack.code).toBe(0);
    expect(writeBack.stdout).toContain('finished: 0 written back, 0 up to date, 0 failed.\n');
    expect(writeBack.stdout).toMatch(new RegExp(`^ {2}${CLIENT} +– +– +– +no invoice was due$`, 'm'));
  });

  test('report for a client that was never onboarded says so and exits 1', async () => {
    const report = await run('report', ['--client-id', NEVER_ONBOARDED]);

    expect(report.stderr.trim()).toBe(
      `Client ${NEVER_ONBOARDED} has not been onboarded: Temporal has no settings workflow client-${NEVER_ONBOARDED}. Check the id, or onboard the client first (npm run -s onboard).`,
    );
    expect(report.stdout).not.toContain('every invoice was distributed');
    expect(report.code).toBe(1);
  });

  test('write-back for a client that was never onboarded says so and exits 1, instead of reporting zeros', async () => {
    const writeBack = await run('write-back', ['--force', '--client', NEVER_ONBOARDED]);

    expect(writeBack.stderr.trim()).toMatch(new RegExp(`^Client ${NEVER_ONBOARDED} has not been onboarded`));
    expect(writeBack.stdout).toBe('');
    expect(writeBack.code).toBe(1);
  });

  test('report for an onboarded client whose invoices all went out says every invoice was distributed', async () => {
    const report = await run('report', ['--client-id', CLIENT]);

    expect(report.stdout).toBe(`Client ${CLIENT}: every invoice was distributed.\n`);
    expect(report.code).toBe(0);
  });

  test('report --json gives scripts both lists', async () => {
    const report = await run('report', ['--client-id', CLIENT, '--json']);

    expect(JSON.parse(report.stdout)).toEqual({ clientId: CLIENT, notDistributed: [], notWrittenBack: [] });
    expect(report.code).toBe(0);
  });

  test('return-data --force lists the active clients without an account mapping as skipped', async () => {
    const returnData = await run('return-data', ['--force']);

    expect(returnData.stderr).toBe('');
    expect(returnData.code).toBe(0);
    expect(returnData.stdout).toMatch(/^Return-data run return-data-manual-\S+ \(\d{2}\.\d{2}\.\d{4}\) finished: 0 client\(s\) with return data\.$/m);
    expect(returnData.stdout).toMatch(new RegExp(`^Skipped, no account mapping \\(return data not ordered\\): .*\\b${CLIENT}\\b`, 'm'));
  });

  test('unmatched-payments --json prints an empty list when no payment is kept aside', async () => {
    const unmatched = await run('unmatched-payments', ['--json']);

    expect(JSON.parse(unmatched.stdout)).toEqual([]);
    expect(unmatched.code).toBe(0);
  });

  test('with no worker on the task queue, a waiting batch says no worker answered and names the task queue', async () => {
    const taskQueue = `nobody-${randomUUID()}`;
    const batch = await run('batch', ['--force', '--progress-every', '1'], { TEMPORAL_TASK_QUEUE: taskQueue }, 12_000);
    const workflowId = /^Started batch (\S+)/.exec(batch.stdout)?.[1];
    if (workflowId) await env.client.workflow.getHandle(workflowId).terminate('test finished');

    expect(workflowId).toBeDefined();
    expect(batch.stderr).toMatch(new RegExp(`^still running after \\d+ s: no worker answered within 5 s; is one running on task queue ${taskQueue} \\(npm run worker\\)\\?$`, 'm'));
    expect(hasStackTrace(batch.stdout + batch.stderr)).toBe(false);
  });

  test('Ctrl-C while a batch waits stops the waiting, not the batch, and says where to follow it', async () => {
    const taskQueue = `nobody-${randomUUID()}`;
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', '..', COMMAND_FILES.batch), '--force'], {
      cwd: join(__dirname, '..', '..'),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...commandEnvironment(env, service), TEMPORAL_TASK_QUEUE: taskQueue },
    });
    let stdout = '';
    const started = new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        if (stdout.includes('waiting for it to finish')) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await Promise.race([started, exited]);
    child.kill('SIGINT');
    const code = await exited;
    const workflowId = /^Started batch (\S+)/.exec(stdout)?.[1] ?? 'none';
    const description = await env.client.workflow.getHandle(workflowId).describe();
    await env.client.workflow.getHandle(workflowId).terminate('test finished');

    expect(code).toBe(130);
    expect(stdout).toContain(`Stopped waiting; the batch ${workflowId} goes on (see it in the Web UI).`);
    expect(description.status.name).toBe('RUNNING');
  });

  test('schedules creates the three schedules, then updates them, and says when each runs next in Oslo time (--json for scripts)', async () => {
    const first = await run('schedules', []);
    const second = await run('schedules', ['--json']);
    for (const id of ['invoice-batch', 'write-back', 'return-data']) await env.client.schedule.getHandle(id).delete();

    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^3 schedules, next runs in Oslo time:$/m);
    // The batch runs at 08:00 and 10:30 Oslo time; the write-back at 15:30; return data at 06:30.
    expect(first.stdout).toMatch(/^ {2}invoice-batch +created +\d{2}\.\d{2}\.\d{4} (08:00|10:30) +\d{2}\.\d{2}\.\d{4} (08:00|10:30)/m);
    expect(first.stdout).toMatch(/^ {2}write-back +created +\d{2}\.\d{2}\.\d{4} 15:30/m);
    expect(first.stdout).toMatch(/^ {2}return-data +created +\d{2}\.\d{2}\.\d{4} 06:30/m);
    const updated = JSON.parse(second.stdout) as { scheduleId: string; result: string; nextRuns: string[] }[];
    expect(updated.map((s) => [s.scheduleId, s.result, s.nextRuns.length])).toEqual([
      ['invoice-batch', 'updated', 4],
      ['write-back', 'updated', 4],
      ['return-data', 'updated', 4],
    ]);
  });
});
