import { hasStackTrace, runProjectCommand } from '../helpers/run-command';
import { PRODUCTION_CODEC_KEY, productionEnvironment } from '../helpers/production-environment';

const COMMAND = 'client/codec-server/main.ts';

test('npm run codec-server with a malformed key refuses with one sentence naming the key id, exit 1, nothing echoed', async () => {
  const short = Buffer.from('too short').toString('base64');
  const run = await runProjectCommand(COMMAND, [], { TEMPORAL_CODEC_KEYS: `k1:${PRODUCTION_CODEC_KEY},k2:${short}` });
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('TEMPORAL_CODEC_KEYS: key "k2": expected 32 random bytes, base64-encoded (openssl rand -base64 32) (the value is hidden)');
  expect(run.stderr + run.stdout).not.toContain(PRODUCTION_CODEC_KEY);
  expect(hasStackTrace(run.stderr)).toBe(false);
});

test('npm run codec-server in production without its token or its keys refuses, naming each', async () => {
  // The worker's and the webhook's secrets left out too: they are not the codec server's business.
  const env = productionEnvironment({ CODEC_SERVER_AUTH_TOKEN: undefined, TEMPORAL_CODEC_KEYS: undefined, POWEROFFICE_APPLICATION_KEY: undefined, WEBHOOK_SIGNING_SECRET: undefined });
  const run = await runProjectCommand(COMMAND, [], env);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/TEMPORAL_CODEC_KEYS: must be set when DEPLOYMENT_ENV=production/);
  expect(run.stderr).toMatch(/CODEC_SERVER_AUTH_TOKEN: must be set when DEPLOYMENT_ENV=production/);
  expect(run.stderr).not.toMatch(/POWEROFFICE|WEBHOOK_SIGNING_SECRET/);
});

test('an unknown option is a usage error, exit 2, before anything starts', async () => {
  const run = await runProjectCommand(COMMAND, ['--listen-everywhere']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain("unknown option '--listen-everywhere'");
});
