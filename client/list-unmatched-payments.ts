import { loadConfigOrExit } from '../config/config';
import { connectClient } from './temporal-client';
import { listUnmatchedPayments } from './unmatched-payments';

/**
 * `npm run -s unmatched-payments`: every payment from OCR giro files that was not registered
 * automatically (unknown or ambiguous KID, a duplicate, not a payment), with the file's line, for an
 * operator to take up by hand.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const client = await connectClient(config.temporal);
  try {
    const imports = await listUnmatchedPayments(client);
    if (imports.length === 0) console.log('No payments are kept aside.');
    for (const entry of imports) {
      console.log(`${entry.workflowId} (transmission ${entry.transmissionNumber}, imported ${entry.importedAt.toISOString()}): ${entry.keptAside.length} kept aside`);
      for (const payment of entry.keptAside) console.log(`  [${payment.status}] ${payment.explanation}`);
    }
  } finally {
    await client.connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
