import { clientIdArgument, configOrRefuse, integerIn, newCommand, runCommand, withTemporal } from './command-line';
import { findInvoice } from './invoice-lookup';
import { invoiceText } from './invoice-view';
import { workflowUiUrl } from './web-ui';

/**
 * `npm run -s invoice -- show --client-id 1001 --invoice-no 20001 [--json]`: one invoice as an
 * operator asks about it on the phone: its state, channel and why, every send, KID, write-back,
 * openings, the reasons it was rejected or failed, and its workflow.
 */
const program = newCommand('invoice', 'One invoice of a client, found by its invoice number.');

program
  .command('show')
  .description("The invoice's state, channel and why, every send and when, KID, write-back, openings, rejection reasons and its workflow.")
  .requiredOption('--client-id <id>', 'the client, as onboarded', clientIdArgument)
  .requiredOption('--invoice-no <n>', "the invoice's number in PowerOffice GO", integerIn(1, Number.MAX_SAFE_INTEGER))
  .option('--json', 'the invoice as JSON, for scripts')
  .action(async (options: { clientId: string; invoiceNo: number; json?: boolean }) => {
    const config = configOrRefuse();
    await withTemporal(config.temporal, async (temporal) => {
      const lookedUp = await findInvoice(temporal, options.clientId, options.invoiceNo);
      const found = { ...lookedUp, webUi: workflowUiUrl(config.webUiUrl, config.temporal.namespace, lookedUp.workflowId, lookedUp.runId) };
      console.log(options.json ? JSON.stringify(found, null, 2) : invoiceText(found));
    });
  });

void runCommand(program);
