import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../../config/config';
import { DEMO_CODEC_KEYS } from '../../config/env-schema';
import { productionEnvironment } from '../helpers/production-environment';

const key = () => randomBytes(32).toString('base64');

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

test('without TEMPORAL_CODEC_CURRENT_KEY_ID new payloads use the first key; every listed key stays readable', () => {
  const [a, b] = [key(), key()];
  const codec = loadConfig({ TEMPORAL_CODEC_KEYS: `k2:${a}, k1:${b}` }).temporal.payloadCodec;
  expect(codec.currentKeyId).toBe('k2');
  expect(codec.keys.map((k) => [k.id, k.key.toString('base64')])).toEqual([['k2', a], ['k1', b]]);
  expect(loadConfig({ TEMPORAL_CODEC_KEYS: `k2:${a},k1:${b}`, TEMPORAL_CODEC_CURRENT_KEY_ID: 'k1' }).temporal.payloadCodec.currentKeyId).toBe('k1');
});

test('a current key id that is not among the keys is named with the ids there are', () => {
  expect(problemsOf({ TEMPORAL_CODEC_KEYS: `k1:${key()}`, TEMPORAL_CODEC_CURRENT_KEY_ID: 'k2' })).toEqual([
    'TEMPORAL_CODEC_CURRENT_KEY_ID: "k2" is not one of the keys of TEMPORAL_CODEC_KEYS ("k1")',
  ]);
});

test('a key of the wrong length is named by its id, and no key material is repeated', () => {
  const good = key();
  const short = Buffer.from('sixteen bytes!!!').toString('base64');
  const problems = problemsOf({ TEMPORAL_CODEC_KEYS: `k1:${good},k2:${short}` });
  expect(problems).toEqual(['TEMPORAL_CODEC_KEYS: key "k2": expected 32 random bytes, base64-encoded (openssl rand -base64 32) (the value is hidden)']);
  expect(problems.join()).not.toContain(good);
  expect(problems.join()).not.toContain(short);
});

test('production refuses the published demo codec key and a key that is text, naming only the key id', () => {
  expect(problemsOf(productionEnvironment({ TEMPORAL_CODEC_KEYS: DEMO_CODEC_KEYS, TEMPORAL_CODEC_CURRENT_KEY_ID: 'demo-codec-1' }))).toEqual([
    "TEMPORAL_CODEC_KEYS: key \"demo-codec-1\" is the published demo key; DEPLOYMENT_ENV=production needs a secret of Factoring Finans' own (the value is hidden)",
    'TEMPORAL_CODEC_CURRENT_KEY_ID: "demo-codec-1" names the demo key; DEPLOYMENT_ENV=production needs a key of its own in TEMPORAL_CODEC_KEYS',
  ]);
  const phrase = Buffer.from('our-payload-key-written-by-hand!').toString('base64');
  expect(problemsOf(productionEnvironment({ TEMPORAL_CODEC_KEYS: `p0:${phrase}`, TEMPORAL_CODEC_CURRENT_KEY_ID: 'p0' }))).toEqual([
    "TEMPORAL_CODEC_KEYS: key \"p0\" decodes to readable text, not 32 random bytes; DEPLOYMENT_ENV=production needs a secret of Factoring Finans' own (the value is hidden)",
  ]);
});
