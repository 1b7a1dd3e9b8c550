import { formatKroner, type Ore } from '../domain/money';
import type { OcrGiroError } from '../domain/ocr-giro';
import { configOrRefuse, newCommand, readOperatorFile, Refusal, runCommand, withTemporal } from './command-line';
import { formatCount, table } from './human-output';
import { describeOcrError, prepareOcrImport, startOcrImport, type OcrImportRun } from './ocr-import';

/**
 * `npm run -s import-ocr -- FILE [--json]`: import an OCR giro file from the bank. The file is read
 * and checked before Temporal is contacted, so a broken file's errors show even when Temporal is
 * down: every error with its line (exit 1, nothing imported). Otherwise the matched payments are
 * registered in the ledger and the rest is listed for an operator (exit 0). The same file twice
 * does nothing new.
 */
const program = newCommand('import-ocr', 'Import an OCR giro payment file from the bank: register each payment that matches one booked invoice, keep the rest aside for a person.')
  .argument('<file>', 'the OCR giro file (Nets format, ISO-8859-1)')
  .option('--json', 'print the outcome as JSON, for scripts')
  .action(async (file: string, options: { json?: boolean }) => {
    const prepared = prepareOcrImport(readOcrFile(file));
    if (prepared.refused) {
      showRefusal(file, prepared.errors, options.json === true);
      process.exitCode = 1;
      return;
    }
    const config = configOrRefuse();
    const run = await withTemporal(config.temporal, (client) => startOcrImport(client, config.temporal.taskQueue, prepared.input));
    if (options.json) console.log(JSON.stringify({ file, refused: false, ...run }, null, 2));
    else showImport(run);
  });

/** OCR giro files of the most transactions one import takes are about 1.2 MB; anything far larger is not one. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** The file's bytes, or a refusal in one sentence saying why it cannot be read. */
function readOcrFile(file: string): Buffer {
  return readOperatorFile(file, 'the OCR giro file', (bytes) => {
    if (bytes > MAX_FILE_BYTES) throw new Refusal(`Cannot read ${file}: it has ${bytes} bytes, far more than an OCR giro file of one import (at most ${MAX_FILE_BYTES}).`);
  });
}

function showRefusal(file: string, errors: readonly OcrGiroError[], json: boolean): void {
  if (json) {
    console.log(JSON.stringify({ file, refused: true, errors }, null, 2));
    return;
  }
  console.error(`${file} was refused; nothing was imported:`);
  for (const error of errors) console.error(`  ${describeOcrError(error)}`);
}

function showImport({ workflowId, alreadyImported, result }: OcrImportRun): void {
  const total = (payments: readonly { amountOre: number }[]) => formatKroner(payments.reduce((n, p) => n + p.amountOre, 0) as Ore);
  console.log(`${alreadyImported ? 'Already imported' : 'Imported'}: ${workflowId} (transmission ${result.transmissionNumber}, ${formatCount(result.transactions)} transactions)`);
  console.log(`  registered in the ledger: ${formatCount(result.registered.length)}`);
  if (result.registered.length > 0) {
    const right = (title: string) => ({ title, align: 'right' as const });
    const rows = result.registered.map((p) => [String(p.line), p.clientId, String(p.invoiceNo), formatKroner(p.amountOre as Ore)]);
    for (const line of table([right('line'), { title: 'client' }, right('invoice'), right('NOK')], rows)) console.log(`  ${line}`);
    console.log(`    in all NOK ${total(result.registered)}`);
  }
  console.log(`  kept aside for an operator: ${formatCount(result.keptAside.length)}`);
  for (const payment of result.keptAside) console.log(`    [${payment.status}] ${payment.explanation}`);
  if (result.keptAside.length > 0) console.log(`    in all NOK ${total(result.keptAside)}; npm run -s unmatched-payments lists every payment kept aside`);
}

void runCommand(program);
