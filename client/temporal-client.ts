import type { Client } from '@temporalio/client';
import type { TemporalConnectionConfig } from '../config/config';
import { connectOrRefuse } from './command-line';

/**
 * A Temporal client for admin scripts and the webhook: an unreachable server is a refusal naming
 * the address within seconds (see connectOrRefuse), not the SDK's deadline error after 10 s.
 */
export function connectClient(config: TemporalConnectionConfig): Promise<Client> {
  return connectOrRefuse(config);
}
