import { readFileSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { Client, Connection, isGrpcServiceError, WorkflowFailedError } from '@temporalio/client';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { temporalDataConverter } from '../adapters/temporal-codec/data-converter';
import { ConfigError, loadConfig, type Config, type TemporalConnectionConfig } from '../config/config';
import { clientIdSchema } from '../domain/client-settings';
import { temporalConnectionOptions } from '../config/temporal-connection';

/**
 * The one argument parser of every operator command (commander), and the one way they end:
 *  - exit 0: done;
 *  - exit 1: refused (a {@link Refusal}, a failed workflow, an unreachable server): one sentence on stderr;
 *  - exit 2: a usage error (unknown option, missing value, stray argument): commander's message and
 *    a pointer to `--help`.
 * Never a stack trace: an operator reads a sentence, a script reads the exit code (and `--json`).
 */
export const EXIT_OK = 0;
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;

/** A refusal an operator can act on: printed as it is, exit 1. */
export class Refusal extends Error {
  override name = 'Refusal';
}

/** A usage error found after parsing (e.g. two options that exclude each other): exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** `npm run -s <script> --` so every usage line and help text shows how the operator calls it. */
export function newCommand(script: string, description: string): Command {
  return new Command(`npm run -s ${script} --`)
    .description(description)
    .helpOption('-h, --help', 'show this help and exit')
    .allowUnknownOption(false)
    .allowExcessArguments(false)
    .showHelpAfterError(`(npm run -s ${script} -- --help shows every option)`)
    .exitOverride();
}

/**
 * Parses process.argv with `program` and runs its action; exits with 0, 1 or 2 as above. The
 * action may set `process.exitCode` (e.g. 1 when a report lists failures).
 */
export async function runCommand(program: Command, argv: readonly string[] = process.argv): Promise<never> {
  let code: number;
  try {
    await program.parseAsync([...argv]);
    code = typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (err) {
    code = exitCodeOf(err);
  }
  process.exit(code);
}

/**
 * For a long-running process that has no action to wait for (`npm start`, the worker): parses the
 * arguments, exits 0 after `--help` and 2 on a usage error, and returns the options otherwise.
 */
export function parseOrExit<T>(program: Command, argv: readonly string[] = process.argv): T {
  try {
    program.parse([...argv]);
  } catch (err) {
    process.exit(exitCodeOf(err));
  }
  return program.opts<T & Record<string, unknown>>();
}

function exitCodeOf(err: unknown): number {
  if (err instanceof CommanderError) {
    // Commander has already printed the message (or the help).
    return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  if (err instanceof UsageError) {
    console.error(`error: ${err.message}`);
    return EXIT_USAGE;
  }
  console.error(sentenceOf(err));
  return EXIT_REFUSED;
}

/** What an operator reads for a failure: the innermost reason, never a stack. */
export function sentenceOf(err: unknown): string {
  if (err instanceof WorkflowFailedError) {
    // Workflow failed ← activity failed ← the reason: the innermost one says what went wrong.
    let innermost: Error = err;
    while (innermost.cause instanceof Error) innermost = innermost.cause;
    return innermost.message;
  }
  const portInUse = portInUseSentence(err);
  if (portInUse) return portInUse;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** A server command whose port is taken says which one, instead of Node's `listen EADDRINUSE`. */
function portInUseSentence(err: unknown): string | undefined {
  if (!(err instanceof Error) || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') return undefined;
  const { port, address } = err as Error & { port?: number; address?: string };
  return `Port ${port ?? '?'}${address ? ` on ${address}` : ''} is already in use: stop what listens there (another npm start?) or choose another port.`;
}

/** For `.argParser`: a client id as onboarding accepts it, or a usage error saying what one looks like. */
export function clientIdArgument(value: string): string {
  const parsed = clientIdSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`${parsed.error.issues[0]?.message ?? 'not a client id'}.`);
  return parsed.data;
}

/** For `.argParser`: a whole number within [min, max], or a usage error naming the option. */
export function integerIn(min: number, max: number): (value: string) => number {
  return (value: string) => {
    if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    return n;
  };
}

/** The configuration from the environment; a bad variable is a refusal naming it (exit 1). */
export function configOrRefuse(env: NodeJS.ProcessEnv = process.env): Config {
  return refusingBadConfig(() => loadConfig(env));
}

/** Runs a config loader; its ConfigError (one sentence per variable) becomes a refusal. */
export function refusingBadConfig<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (err instanceof ConfigError) throw new Refusal(err.message);
    throw err;
  }
}

/** How long a command waits for the Temporal server before it says which address it could not reach. */
export const TEMPORAL_CONNECT_TIMEOUT_MS = 3_000;

/**
 * A Temporal client, or within 3 s a refusal that names the address and what to check (instead of
 * the SDK's "Failed to connect before the deadline" after 10 s).
 */
export async function connectOrRefuse(config: TemporalConnectionConfig): Promise<Client> {
  try {
    // A closed port or unknown host is known at once; the SDK would retry it until its deadline.
    await probeTcp(config.address, TEMPORAL_CONNECT_TIMEOUT_MS);
    const connection = await Connection.connect({ ...temporalConnectionOptions(config), connectTimeout: TEMPORAL_CONNECT_TIMEOUT_MS });
    await checkNamespace(connection, config);
    return new Client({ connection, namespace: config.namespace, dataConverter: temporalDataConverter(config.payloadCodec) });
  } catch (err) {
    if (err instanceof Refusal) throw err;
    throw new Refusal(unreachableTemporal(config, err));
  }
}

/** gRPC status codes (the SDK's own dependency's enum, not ours to import). */
const grpcStatus = { NOT_FOUND: 5, UNIMPLEMENTED: 12 } as const;

/**
 * Something answered at the address: make sure it is a Temporal server with our namespace, so a
 * wrong port or TEMPORAL_NAMESPACE is named now, not as "Failed to describe workflow" later.
 * Anything else (a slow answer, an API key without the right to describe) is left to the command's calls.
 */

async function checkNamespace(connection: Connection, config: TemporalConnectionConfig): Promise<void> {
  try {
    await connection.withDeadline(Date.now() + TEMPORAL_CONNECT_TIMEOUT_MS, () => connection.workflowService.describeNamespace({ namespace: config.namespace }));
  } catch (err) {
    if (!isGrpcServiceError(err)) throw err;
    const code: number = err.code;
    let refusal: string | undefined;
    if (code === grpcStatus.NOT_FOUND) refusal = `The Temporal server at ${config.address} has no namespace "${config.namespace}": check TEMPORAL_NAMESPACE.`;
    if (code === grpcStatus.UNIMPLEMENTED) refusal = unreachableTemporal(config, new Error('something answers there, but not a Temporal server'));
    if (refusal === undefined) return;
    await connection.close();
    throw new Refusal(refusal);
  }
}

/** Resolves once a TCP connection to host:port opens; rejects at once when it is refused or the host unknown. */
function probeTcp(address: string, timeoutMs: number): Promise<void> {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address);
  if (!match) return Promise.resolve(); // Not host:port: the SDK will say what is wrong with it.
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: match[1], port: Number(match[2]), autoSelectFamily: true });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('no answer')));
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      const why: Record<string, string> = { ECONNREFUSED: 'connection refused', ENOTFOUND: 'unknown host', EAI_AGAIN: 'host name lookup failed', EHOSTUNREACH: 'host unreachable' };
      reject(new Error(err.code && why[err.code] ? why[err.code] : err.message));
    });
  });
}

export function unreachableTemporal(config: TemporalConnectionConfig, err: unknown): string {
  const what = config.tls || config.apiKey ? 'TEMPORAL_ADDRESS and the TLS settings (TEMPORAL_TLS*, TEMPORAL_API_KEY) are' : 'TEMPORAL_ADDRESS is';
  const detail = err instanceof Error && !/deadline/i.test(err.message) ? ` (${err.message})` : '';
  const within = detail ? detail : ` within ${TEMPORAL_CONNECT_TIMEOUT_MS / 1000} s`;
  return (
    `Could not reach the Temporal server at ${config.address}${within}. ` +
    `Check that it is running (npm start starts one locally) and that ${what} right.`
  );
}

/** Runs `use` with a connected client and always closes the connection. */
export async function withTemporal<T>(config: TemporalConnectionConfig, use: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectOrRefuse(config);
  try {
    return await use(client);
  } finally {
    await client.connection.close();
  }
}

/** Why a file system call failed, in words an operator reads ("there is no such file"). */
export function fileProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'there is no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  if (code === 'EISDIR') return 'it is a directory';
  return err instanceof Error ? err.message : String(err);
}

/**
 * The bytes of a file an operator named, or a refusal saying why not: missing, a directory (then
 * "give <what> itself"), not a regular file, or refused by `checkSize` before it is read.
 */
export function readOperatorFile(file: string, what: string, checkSize: (bytes: number) => void = () => undefined): Buffer {
  let size: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw new Refusal(`Cannot read ${file}: it is a directory; give ${what} itself.`);
    if (!stat.isFile()) throw new Refusal(`Cannot read ${file}: it is not a regular file.`);
    size = stat.size;
  } catch (err) {
    if (err instanceof Refusal) throw err;
    throw new Refusal(`Cannot read ${file}: ${fileProblem(err)}.`);
  }
  checkSize(size);
  try {
    return readFileSync(file);
  } catch (err) {
    throw new Refusal(`Cannot read ${file}: ${fileProblem(err)}.`);
  }
}
