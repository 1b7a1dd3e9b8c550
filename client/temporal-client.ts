import { Client, Connection } from '@temporalio/client';
import type { TemporalConnectionConfig } from '../config/config';
import { temporalConnectionOptions } from '../config/temporal-connection';

/** A Temporal client for admin scripts and the webhook. */
export async function connectClient(config: TemporalConnectionConfig): Promise<Client> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  return new Client({ connection, namespace: config.namespace });
}
