import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import type { TemporalConnectionConfig } from './config';

/** TLS settings for both the client (`Connection`) and the worker (`NativeConnection`). */
export function temporalTls(config: TemporalConnectionConfig): TLSConfig | undefined {
  if (!config.tls) return undefined;
  const { serverName, caPath, certPath, keyPath } = config.tls;
  return {
    ...(serverName ? { serverNameOverride: serverName } : {}),
    ...(caPath ? { serverRootCACertificate: readFileSync(caPath) } : {}),
    ...(certPath && keyPath ? { clientCertPair: { crt: readFileSync(certPath), key: readFileSync(keyPath) } } : {}),
  };
}

export function temporalConnectionOptions(config: TemporalConnectionConfig) {
  const tls = temporalTls(config);
  return {
    address: config.address,
    ...(tls ? { tls } : {}),
    ...(config.apiKey ? { apiKey: config.apiKey } : {}),
  };
}
