import { readFileSync } from 'node:fs';
import { formatKroner, type Ore } from '../domain/money';
import { loadConfigOrExit } from '../config/config';
import { describeOcrError, importOcrFile } from './ocr-import';
import { connectClient } from './temporal-client';

/**
 * `npm run -s import-ocr -- <file>`: import an OCR giro file from the bank. A broken file is refused
 * whole (every error printed, exit 1, nothing imported); otherwise the matched payments are
 * registered in the ledger and the rest is listed for an operator (exit 0). The same file twice
 * does nothing new.
 */
async function main(): Promise<void> {
  const path = process.argv[2];
  if (!path || process.argv.length > 3) {
    console.error('usage: npm run -s import-ocr -- <OCR giro file>');
    process.exit(2);
  }
  const bytes = readFileSync(path);
  const config = loadConfigOrExit();
  const client = await connectClient(config.temporal);
  try {
    const outcome = await importOcrFile(client, config.temporal.taskQueue, bytes);
    if (outcome.refused) {
      console.error(`${path} was refused; nothing was imported:`);
      for (const error of outcome.errors) console.error(`  ${describeOcrError(error)}`);
      process.exitCode = 1;
      return;
    }
    const { result } = outcome;
    console.log(`${outcome.alreadyImported ? 'Already imported' : 'Imported'}: ${outcome.workflowId} (transmission ${result.transmissionNumber}, ${result.transactions} transactions)`);
    console.log(`  registered in the ledger: ${result.registered.length}`);
    for (const payment of result.registered) {
      console.log(`    line ${payment.line}: client ${payment.clientId}, invoice ${payment.invoiceNo}, NOK ${formatKroner(payment.amountOre as Ore)}`);
    }
    console.log(`  kept aside for an operator: ${result.keptAside.length}`);
    for (const payment of result.keptAside) console.log(`    [${payment.status}] ${payment.explanation}`);
  } finally {
    await client.connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
