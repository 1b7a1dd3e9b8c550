import { demoKeyWarning } from '../../adapters/temporal-codec/data-converter';
import { AesGcmPayloadCodec } from '../../adapters/temporal-codec/payload-codec';
import { loadConfig } from '../../config/config';
import { createLogger } from '../../logging/logger';
import { integerIn, newCommand, refusingBadConfig, runCommand } from '../command-line';
import { buildCodecServer } from './server';

/**
 * The codec server process (`npm run codec-server`): the payload codec's keys, CODEC_SERVER_PORT,
 * CODEC_SERVER_AUTH_TOKEN and CODEC_SERVER_CORS_ORIGINS from config/config.ts, nothing else (it
 * never talks to Temporal). Listens on loopback unless told otherwise: whoever reaches it with the
 * token reads every payload.
 */
const program = newCommand('codec-server', "The codec server the Temporal Web UI asks to show payloads decoded (POST /decode, /encode; sign in at /login); runs until Ctrl-C.")
  .option('--port <port>', 'port to listen on (default: CODEC_SERVER_PORT, else 4060)', integerIn(1, 65535))
  .option('--host <address>', 'interface to listen on', '127.0.0.1')
  .action(async (options: { port?: number; host: string }) => {
    const config = refusingBadConfig(() => loadConfig(process.env, 'codecServer'));
    const logger = createLogger(config.log, 'codec-server');
    const app = buildCodecServer({
      codec: new AesGcmPayloadCodec(config.payloadCodec),
      authToken: config.codecServer.authToken,
      corsOrigins: config.codecServer.corsOrigins,
      logger,
    });
    const address = await app.listen({ host: options.host, port: options.port ?? config.codecServer.port });
    const demoKey = demoKeyWarning(config.payloadCodec);
    if (demoKey) logger.warn(demoKey);
    // Key ids only: the key material is never logged.
    logger.info({ address, keyIds: config.payloadCodec.keys.map((k) => k.id), currentKeyId: config.payloadCodec.currentKeyId, corsOrigins: config.codecServer.corsOrigins }, 'codec server listening');
    await untilStopped();
    await app.close();
  });

function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

void runCommand(program);
