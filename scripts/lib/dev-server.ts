import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { allSearchAttributes } from '../../workflows/search-attributes';

/** The `temporal server start-dev` the demo runs: Web UI on 8233, state in a git-ignored SQLite file. */
export interface DevServer {
  process: ChildProcess;
  address: string;
  uiUrl: string;
  logFile: string;
  stop(): Promise<void>;
  /** SIGKILL, as a crash would: no shutdown, the SQLite file left as it is (`npm run chaos`). */
  kill(): Promise<void>;
}

function searchAttributeFlags(): string[] {
  const typeName: Record<string, string> = { KEYWORD: 'Keyword', INT: 'Int' };
  return allSearchAttributes.flatMap((key) => ['--search-attribute', `${key.name}=${typeName[key.type] ?? key.type}`]);
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitUntilServing(address: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The Temporal dev server exited with code ${child.exitCode}; see ${logFile}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.healthService.check({});
      await connection.close();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
  throw new Error(`The Temporal dev server did not answer on ${address} within 60 s; see ${logFile}`);
}

/** A port nothing listens on right now (the OS picks it), for a server that must be given one. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port was assigned'))));
    });
  });
}

/** `codecEndpoint`: the codec server the Web UI asks to decode payloads (`--ui-codec-endpoint`). */
export async function startDevServer(binary: string, options: { port: number; uiPort: number; stateDir: string; codecEndpoint?: string }): Promise<DevServer> {
  const { port, uiPort, stateDir } = options;
  for (const p of [port, uiPort]) {
    if (await portInUse(p)) {
      throw new Error(`Port ${p} is already in use (another Temporal dev server or \`npm start\`?). Stop it and try again.`);
    }
  }
  mkdirSync(stateDir, { recursive: true });
  const logFile = join(stateDir, 'dev-server.log');
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(
    binary,
    [
      'server', 'start-dev',
      '--db-filename', join(stateDir, 'dev-server.sqlite'),
      '--port', String(port),
      '--ui-port', String(uiPort),
      '--ui-disable-news-fetch',
      '--log-level', 'warn',
      '--sqlite-pragma', 'journal_mode=WAL',
      ...(options.codecEndpoint ? ['--ui-codec-endpoint', options.codecEndpoint] : []),
      ...searchAttributeFlags(),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  // Never leave the server behind, whatever way this process ends.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const address = `127.0.0.1:${port}`;
  await waitUntilServing(address, child, logFile);
  return {
    process: child,
    address,
    uiUrl: `http://localhost:${uiPort}`,
    logFile,
    stop: () =>
      new Promise<void>((resolve) => {
        process.removeListener('exit', killOnExit);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(force);
          log.end();
          resolve();
        });
        child.kill('SIGTERM');
      }),
    kill: () =>
      new Promise<void>((resolve) => {
        process.removeListener('exit', killOnExit);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => {
          log.end();
          resolve();
        });
        child.kill('SIGKILL');
      }),
  };
}
