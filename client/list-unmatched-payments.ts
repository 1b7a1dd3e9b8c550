import { configOrRefuse, newCommand, runCommand, withTemporal } from './command-line';
import { listUnmatchedPayments } from './unmatched-payments';

/**
 * `npm run -s unmatched-payments [-- --json]`: every payment from OCR giro files that was not
 * registered automatically (unknown or ambiguous KID, a duplicate, not a payment), with the file's
 * line, for an operator to take up by hand.
 */
const program = newCommand('unmatched-payments', 'Every OCR giro payment kept aside (unknown or ambiguous KID, duplicate, not a payment), per import, newest first, to take up by hand.')
  .option('--json', 'the imports and their kept-aside payments as JSON, for scripts')
  .action(async (options: { json?: boolean }) => {
    const config = configOrRefuse();
    const imports = await withTemporal(config.temporal, listUnmatchedPayments);
    if (options.json) {
      console.log(JSON.stringify(imports, null, 2));
      return;
    }
    if (imports.length === 0) console.log('No payments are kept aside.');
    for (const entry of imports) {
      console.log(`${entry.workflowId} (transmission ${entry.transmissionNumber}, imported ${entry.importedAt.toISOString()}): ${entry.keptAside.length} kept aside`);
      for (const payment of entry.keptAside) console.log(`  [${payment.status}] ${payment.explanation}`);
    }
  });

void runCommand(program);
