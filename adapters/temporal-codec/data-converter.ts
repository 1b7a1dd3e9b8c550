import type { DataConverter } from '@temporalio/common';
import type { PayloadCodecConfig } from '../../config/config';
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
export function temporalDataConverter(config: PayloadCodecConfig): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(config)] };
}
