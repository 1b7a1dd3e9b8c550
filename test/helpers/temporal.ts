import { IllegalStateError } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { defaultPayloadConverter, type DataConverter, type Payload } from '@temporalio/common';
import { temporalDataConverter } from '../../adapters/temporal-codec/data-converter';
import { loadPayloadCodecConfig } from '../../config/config';
import { requireBinary } from '../../scripts/lib/temporal-binaries';
import { allSearchAttributes } from '../../workflows/search-attributes';

/**
 * Real Temporal servers for tests, started from the project's pinned binaries
 * (`existing-path`, never a download). A missing binary fails the test with the install command.
 */

/** Once per test file: quiet SDK logs (warnings and errors still show). */
export function installQuietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch (err) {
    if (!(err instanceof IllegalStateError)) throw err;
  }
}

/**
 * The project's data converter with the development key, the one every worker of the tests
 * (test/helpers/service.ts, worker processes) encrypts with: env.client reads what they write.
 */
export function testDataConverter(): DataConverter {
  return temporalDataConverter(loadPayloadCodecConfig({}));
}

/** A payload of a fetched history (stored encrypted) as the workflow saw it. */
export async function decodedPayload(payload: Payload): Promise<unknown> {
  let decoded = [payload];
  for (const codec of [...(testDataConverter().payloadCodecs ?? [])].reverse()) decoded = await codec.decode(decoded);
  return defaultPayloadConverter.fromPayload(decoded[0]!);
}

/** The CLI dev server (SQLite in memory) with our search attributes registered; `dynamicConfig` as `--dynamic-config-value key=value`. */
export function startLocalTemporal(options: { dynamicConfig?: Record<string, string | number> } = {}): Promise<TestWorkflowEnvironment> {
  installQuietRuntime();
  const extraArgs = Object.entries(options.dynamicConfig ?? {}).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]);
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: requireBinary('cli') },
      searchAttributes: allSearchAttributes,
      ...(extraArgs.length > 0 ? { extraArgs } : {}),
    },
    client: { dataConverter: testDataConverter() },
  });
}

const indexedValueType: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  INT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
};

/** The Java time-skipping test server: timers and retry backoffs jump forward. */
export async function startTimeSkippingTemporal(): Promise<TestWorkflowEnvironment> {
  installQuietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: requireBinary('testServer') } },
    client: { dataConverter: testDataConverter() },
  });
  // The test server has no --search-attribute flag; register ours through the operator API.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      allSearchAttributes.map((key) => {
        const type = indexedValueType[key.type];
        if (type === undefined) throw new Error(`No indexed value type mapped for search attribute ${key.name} (${key.type})`);
        return [key.name, type];
      }),
    ),
  });
  return env;
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Webpack-bundles the workflows once per test file (it takes seconds). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    logger: new DefaultLogger('WARN'),
  });
  return bundle;
}
