import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import got from 'got';

/**
 * `npm start` end to end, as a developer runs it: the dev server with its Web UI, the emulators,
 * the worker and one batch; then Ctrl-C (SIGINT) must leave no process behind.
 * Free ports and a temporary state folder keep it apart from a developer's own demo.
 */
const root = join(__dirname, '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface ListWorkflowsResponse {
  executions?: { execution: { workflowId: string }; status: string }[];
}

test('npm start runs a batch, shows its invoices in the Web UI, and Ctrl-C stops everything', async () => {
  const [temporalPort, uiPort, powerOfficePort, powerOfficeV2Port, partnerPort, ledgerPort, webhookPort, peppolPort] = await Promise.all(
    Array.from({ length: 8 }, () => freePort()),
  );
  const stateDir = mkdtempSync(join(tmpdir(), 'demo-state-'));
  // As `npm start` runs it: node loads tsx in-process, so SIGINT reaches the demo itself, not a relay.
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'start.ts')], {
    cwd: root,
    env: {
      ...process.env,
      LOG_FORMAT: 'json',
      DEMO_TEMPORAL_PORT: String(temporalPort),
      DEMO_UI_PORT: String(uiPort),
      DEMO_POWEROFFICE_PORT: String(powerOfficePort),
      DEMO_POWEROFFICE_V2_PORT: String(powerOfficeV2Port),
      DEMO_PARTNER_PORT: String(partnerPort),
      DEMO_LEDGER_PORT: String(ledgerPort),
      DEMO_WEBHOOK_PORT: String(webhookPort),
      DEMO_PEPPOL_DIRECTORY_PORT: String(peppolPort),
      DEMO_STATE_DIR: stateDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  try {
    const deadline = Date.now() + 90_000;
    while (!output.includes('Press Ctrl-C to stop everything.') && Date.now() < deadline && child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(output).toContain(`Temporal Web UI      http://localhost:${uiPort}`);
    expect(output).toContain('client 1001: 5 invoice workflows started, 0 already existed (4 invoices, 1 credit notes');
    expect(output).toMatch(/client 1001: .*channels: .*2 ehf.*; 1 not distributed/);
    expect(output).toContain('not distributed: client 1001 invoice 10026: customer 10012 has no complete postal address');

    const query = encodeURIComponent("WorkflowType='invoiceWorkflow' AND ClientId='1001'");
    const listed = await got(`http://localhost:${uiPort}/api/v1/namespaces/default/workflows?query=${query}`).json<ListWorkflowsResponse>();
    expect((listed.executions ?? []).map((e) => e.execution.workflowId).sort()).toEqual([
      'credit-note-1001-10025',
      'invoice-1001-10023',
      'invoice-1001-10024',
      'invoice-1001-10026',
      'invoice-1001-10027',
    ]);

    const devServerLine = output.split('\n').find((line) => line.includes('"Temporal dev server is up"'));
    const devServerPid = (JSON.parse(devServerLine ?? '{}') as { pid?: number }).pid;
    expect(devServerPid).toEqual(expect.any(Number));

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('stopped; nothing left running');
    expect(isRunning(devServerPid!)).toBe(false);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(stateDir, { recursive: true, force: true });
  }
});
