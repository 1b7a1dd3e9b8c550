import type { DataConverter } from '@temporalio/common';
import type { PayloadCodecConfig } from '../../config/config';
import { DEMO_CODEC_KEY_ID } from '../../config/env-schema';
import { AesGcmPayloadCodec } from './payload-codec';

/**
 * The one data converter of the project: every Temporal client and worker we create (the worker,
 * the webhook, the commands, `npm start`, the bench, the chaos campaign, the test helpers) is built
 * with it, so no payload reaches Temporal's database in clear.
 *
 * Only a codec: the default payload converter stays, so nothing changes inside the workflow sandbox
 * (codecs run in the worker's main thread, outside the bundle). Failure messages and stack traces
 * stay in clear (no encodeCommonAttributes): they are ours, carry identifiers and reasons only (no
 * names or addresses, as for logs), and operators read them in the UI and in `invoice show`; the
 * payloads inside failures (details) are encrypted like every other payload.
 */
/**
 * A warning for the log when the published development key encrypts: fine for `npm start` and the
 * tests, worthless as protection (production refuses it). Names key ids only, never key material.
 */
export function demoKeyWarning(config: PayloadCodecConfig): string | undefined {
  if (config.currentKeyId !== DEMO_CODEC_KEY_ID) return undefined;
  return `payloads are encrypted with the published development key "${DEMO_CODEC_KEY_ID}" (TEMPORAL_CODEC_KEYS unset): anyone with this repository can read them; set TEMPORAL_CODEC_KEYS and TEMPORAL_CODEC_CURRENT_KEY_ID outside development`;
}

export function temporalDataConverter(config: PayloadCodecConfig): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(config)] };
}
