import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/dev-server';

export { freePort };

/**
 * `npm start` as a developer runs it (scripts/start.ts: dev server and Web UI, codec server,
 * emulators, webhook, worker, one batch), on free ports and in a temporary state folder so it
 * stays apart from a developer's own demo.
 */
const root = join(__dirname, '..', '..');

export interface DemoStack {
  child: ChildProcess;
  ports: { temporal: number; ui: number; codecServer: number };
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  exited: Promise<number | null>;
  /** Waits (at most 90 s) for the batch's summary. */
  ready(): Promise<void>;
  /** SIGKILL if still running, and the state folder removed. */
  cleanUp(): void;
}

export async function startDemoStack(env: Record<string, string> = {}): Promise<DemoStack> {
  const [temporal, ui, powerOffice, powerOfficeV2, partner, ledger, webhook, peppol, codecServer] = (await Promise.all(Array.from({ length: 9 }, () => freePort()))) as [
    number, number, number, number, number, number, number, number, number,
  ];
  const stateDir = mkdtempSync(join(tmpdir(), 'demo-state-'));
  // As `npm start` runs it: node loads tsx in-process, so SIGINT reaches the demo itself, not a relay.
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'start.ts')], {
    cwd: root,
    env: {
      ...process.env,
      LOG_FORMAT: 'json',
      DEMO_TEMPORAL_PORT: String(temporal),
      DEMO_UI_PORT: String(ui),
      DEMO_POWEROFFICE_PORT: String(powerOffice),
      DEMO_POWEROFFICE_V2_PORT: String(powerOfficeV2),
      DEMO_PARTNER_PORT: String(partner),
      DEMO_LEDGER_PORT: String(ledger),
      DEMO_WEBHOOK_PORT: String(webhook),
      DEMO_PEPPOL_DIRECTORY_PORT: String(peppol),
      DEMO_CODEC_SERVER_PORT: String(codecServer),
      DEMO_STATE_DIR: stateDir,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    ports: { temporal, ui, codecServer },
    output: () => output,
    exited,
    ready: async () => {
      const deadline = Date.now() + 90_000;
      while (!output.includes('Press Ctrl-C to stop everything.') && Date.now() < deadline && child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    cleanUp: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
