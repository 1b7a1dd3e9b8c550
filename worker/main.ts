import { demoKeyWarning } from '../adapters/temporal-codec/data-converter';
import { NativeConnection, Runtime } from '@temporalio/worker';
import {
  newCommand,
  Refusal,
  refusingBadConfig,
  runCommand,
  TEMPORAL_CONNECT_TIMEOUT_MS,
  unreachableTemporal,
} from '../client/command-line';
import { loadConfig, type TemporalConnectionConfig, type WorkerConfig } from '../config/config';
import { temporalConnectionOptions } from '../config/temporal-connection';
import { createLogger, type PinoLogger } from '../logging/logger';
import { installTemporalRuntime, MetricsPortUnavailable } from '../logging/temporal-runtime';
import { reportWorkerHealth } from './worker-health-report';

/**
 * The worker process (`npm run worker`, and the container's command). Start-up refuses, in one
 * sentence per problem and exit 1, a bad environment and an unreachable Temporal server (within
 * TEMPORAL_CONNECT_TIMEOUT_MS), before it polls anything. Stops cleanly on SIGINT/SIGTERM.
 */
const program = newCommand('worker', 'Run the invoice-distribution worker until SIGINT or SIGTERM. Configured by the environment only (see README, Configuration).')
  .addHelpText('after', '\nExit codes: 0 stopped by a signal, 1 refused (bad environment, Temporal unreachable), 2 usage error.')
  .action(runWorker);

void runCommand(program);

async function runWorker(): Promise<void> {
  const config = workerConfigOrRefuse();
  const logger = createLogger(config.log, 'worker');
  const demoKey = demoKeyWarning(config.temporal.payloadCodec);
  if (demoKey) logger.warn(demoKey);
  installRuntimeOrRefuse(logger, config.metricsPort);
  const connection = await connectOrRefuse(config.temporal);
  try {
    await refuseUnknownNamespace(connection, config.temporal);
    // Loaded only now: the adapters and the workflow bundler take seconds to load, and a refusal
    // (bad environment, Temporal down) should not wait for them.
    const { activityDependencies } = await import('./activity-dependencies');
    const { powerOfficeRequestMetrics } = await import('./poweroffice-metrics');
    const { createInvoiceWorker } = await import('./create-worker');
    const { cachedWorkflowBundle } = await import('./workflow-bundle-cache');
    const { workflowBundleOptions } = await import('./workflow-bundle-location');
    // Bundled once per version of the bundled files and kept on disk: a restarted worker then
    // polls within about a second of connecting, not after webpack's 3 to 8 s.
    const bundle = await cachedWorkflowBundle(workflowBundleOptions(config.workflowBundleDir, (message) => logger.info(message)));
    const worker = await createInvoiceWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      payloadCodec: config.temporal.payloadCodec,
      // Counted on the runtime's meter whether or not it is exported: without a port, that costs nothing.
      deps: activityDependencies(config, { observeRequest: powerOfficeRequestMetrics(Runtime.instance().metricMeter) }),
      powerOfficeRequestsPerSecond: { v1: config.powerOffice.v1RequestsPerSecond, v2: config.powerOffice.v2RequestsPerSecond },
      workflowBundle: bundle.bundle,
      maxCachedWorkflows: config.maxCachedWorkflows,
    });
    const stopHealthReport = reportWorkerHealth(() => worker.getStatus(), (health, message) => logger.info(health, message), config.healthReportSeconds);
    logger.info(
      {
        taskQueue: config.temporal.taskQueue,
        namespace: config.temporal.namespace,
        workflowBundle: bundle.source,
        workflowBundleMs: bundle.ms,
        startUpMs: Math.round(performance.now()),
        ...(config.metricsPort !== undefined ? { metrics: `http://0.0.0.0:${config.metricsPort}/metrics` } : {}),
      },
      'worker started',
    );
    try {
      await worker.run();
    } finally {
      stopHealthReport();
    }
  } finally {
    await connection.close();
  }
}

/** The SDK's runtime, serving metrics on the configured port; a port it cannot bind is a refusal, not a crash. */
function installRuntimeOrRefuse(logger: PinoLogger, metricsPort: number | undefined): void {
  try {
    installTemporalRuntime(logger, { ...(metricsPort !== undefined ? { metricsPort } : {}) });
  } catch (err) {
    if (err instanceof MetricsPortUnavailable) throw new Refusal(`WORKER_METRICS_PORT: ${err.message}; choose another port or leave it unset.`);
    throw err;
  }
}

/** Only the variables the worker reads are checked (the webhook's secret is not its business). */
function workerConfigOrRefuse(): WorkerConfig {
  return refusingBadConfig(() => loadConfig(process.env, 'worker'));
}

/**
 * The worker's connection, or a refusal naming the address. The native connection has no connect
 * timeout of its own, and a host that accepts TCP but never answers would hold start-up forever.
 */
async function connectOrRefuse(config: TemporalConnectionConfig): Promise<NativeConnection> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('deadline exceeded')), TEMPORAL_CONNECT_TIMEOUT_MS);
  });
  try {
    return await Promise.race([NativeConnection.connect(temporalConnectionOptions(config)), deadline]);
  } catch (err) {
    throw new Refusal(unreachableTemporal(config, new Error(connectFailure(err))));
  } finally {
    clearTimeout(timer);
  }
}

/** Named now, in a sentence, rather than by Worker.create in the core's debug text after bundling. */
async function refuseUnknownNamespace(connection: NativeConnection, config: TemporalConnectionConfig): Promise<void> {
  try {
    await connection.withDeadline(Date.now() + TEMPORAL_CONNECT_TIMEOUT_MS, () =>
      connection.workflowService.describeNamespace({ namespace: config.namespace }),
    );
  } catch (err) {
    const NOT_FOUND = 5; // gRPC status
    if ((err as { code?: unknown }).code === NOT_FOUND) {
      throw new Refusal(`The Temporal server at ${config.address} has no namespace "${config.namespace}": check TEMPORAL_NAMESPACE.`);
    }
    // Anything else (no right to describe, a slow answer) is left to Worker.create.
  }
}

/** The Rust core reports a failed connect as tonic's debug text; an operator needs its gist. */
function connectFailure(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  if (/deadline/i.test(text)) return 'deadline exceeded';
  if (/connection refused/i.test(text)) return 'connection refused';
  if (/dns error|failed to lookup|name or service not known|no address/i.test(text)) return 'unknown host';
  if (/tls|certificate|handshake/i.test(text)) return 'the TLS handshake failed';
  if (/connection reset|broken pipe|unexpected eof|h2 protocol|http2/i.test(text)) return 'the connection was dropped: is it a Temporal frontend (gRPC)?';
  return text.split('\n')[0]?.slice(0, 200) ?? text;
}
