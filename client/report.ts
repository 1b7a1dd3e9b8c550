import { Option } from 'commander';
import { requireActiveClient } from './client-directory';
import { clientIdArgument, configOrRefuse, newCommand, runCommand, withTemporal } from './command-line';
import { rejectedInvoices, type RejectedInvoiceLine } from './rejected-invoices';
import { invoicesNotWrittenBack, type WriteBackFailureLine } from './write-back-failures';

/**
 * `npm run -s report -- --client-id 1001 [--csv | --json]`: the client's invoices that were not
 * distributed and why, to send on to the client (CSV: semicolon-separated, for Excel in Norway).
 * The text form also lists the invoices PowerOffice GO refused at the write-back, for operators.
 * A client that was never onboarded, or is disabled, is refused: "every invoice was distributed"
 * goes to clients and must never be said about an id we do not know.
 */
const program = newCommand('report', "A client's invoices that were not distributed, with the reasons, to send on to the client; for operators also those PowerOffice GO refused at the write-back.")
  .requiredOption('--client-id <id>', 'the client, as onboarded (must exist and be active)', clientIdArgument)
  .addOption(new Option('--csv', 'only the invoices not distributed, semicolon-separated for Excel, to send to the client').conflicts('json'))
  .option('--json', 'both lists as JSON, for scripts')
  .action(async (options: { clientId: string; csv?: boolean; json?: boolean }) => {
    const config = configOrRefuse();
    await withTemporal(config.temporal, async (temporal) => {
      await requireActiveClient(temporal, options.clientId);
      const notDistributed = await rejectedInvoices(temporal, options.clientId);
      // The CSV goes to the client: only what the client's own data must fix.
      if (options.csv) return printCsv(notDistributed.filter((line) => line.state === 'Rejected'));
      const notWrittenBack = await invoicesNotWrittenBack(temporal, options.clientId);
      if (options.json) console.log(JSON.stringify({ clientId: options.clientId, notDistributed, notWrittenBack }, null, 2));
      else printText(options.clientId, notDistributed, notWrittenBack);
    });
  });

function printCsv(lines: RejectedInvoiceLine[]): void {
  console.log('Fakturanr;Avvist;Årsak');
  for (const line of lines) console.log([line.invoiceNo, line.rejectedAt, line.reasons.join(' | ')].map((v) => `"${String(v).replace(/"/g, '""')}"`).join(';'));
}

function printText(clientId: string, notDistributed: RejectedInvoiceLine[], notWrittenBack: WriteBackFailureLine[]): void {
  if (notDistributed.length === 0) {
    console.log(`Client ${clientId}: every invoice was distributed.`);
  } else {
    console.log(`Client ${clientId}: ${notDistributed.length} invoice(s) not distributed:`);
    for (const line of notDistributed) {
      const technical = line.state === 'Failed' ? 'failed, for Factoring Finans to solve; ' : '';
      console.log(`  invoice ${line.invoiceNo} (${technical}${line.rejectedAt}): ${line.reasons.join('; ')}`);
    }
  }
  if (notWrittenBack.length > 0) {
    console.log(`Client ${clientId}: ${notWrittenBack.length} invoice(s) sent but not written back to PowerOffice GO (tried again at every write-back):`);
  }
  for (const line of notWrittenBack) console.log(`  invoice ${line.invoiceNo}: ${line.reason}`);
}

void runCommand(program);
