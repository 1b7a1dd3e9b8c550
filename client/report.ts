import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config/config';
import { rejectedInvoices } from './rejected-invoices';
import { invoicesNotWrittenBack } from './write-back-failures';
import { connectClient } from './temporal-client';

/**
 * `npm run -s report -- --client-id 1001 [--csv]`: the client's invoices that were not
 * distributed and why, to send on to the client. CSV (semicolon-separated, for Excel in Norway).
 * The text form also lists the invoices PowerOffice GO refused at the write-back, for operators.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { 'client-id': { type: 'string' }, csv: { type: 'boolean' } }, strict: true });
  const clientId = values['client-id'];
  if (!clientId) {
    console.error('Usage: npm run -s report -- --client-id ID [--csv]');
    return 2;
  }
  const config = loadConfigOrExit();
  const temporal = await connectClient(config.temporal);
  try {
    const lines = await rejectedInvoices(temporal, clientId);
    if (values.csv) {
      console.log('Fakturanr;Avvist;Årsak');
      for (const line of lines) console.log([line.invoiceNo, line.rejectedAt, line.reasons.join(' | ')].map((v) => `"${String(v).replace(/"/g, '""')}"`).join(';'));
    } else if (lines.length === 0) {
      console.log(`Client ${clientId}: every invoice was distributed.`);
    } else {
      console.log(`Client ${clientId}: ${lines.length} invoice(s) not distributed:`);
      for (const line of lines) console.log(`  invoice ${line.invoiceNo} (${line.rejectedAt}): ${line.reasons.join('; ')}`);
    }
    if (!values.csv) {
      const failed = await invoicesNotWrittenBack(temporal, clientId);
      if (failed.length > 0) console.log(`Client ${clientId}: ${failed.length} invoice(s) sent but not written back to PowerOffice GO (tried again at every write-back):`);
      for (const line of failed) console.log(`  invoice ${line.invoiceNo}: ${line.reason}`);
    }
    return 0;
  } finally {
    await temporal.connection.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
