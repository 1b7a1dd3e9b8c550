import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { fileProblem, integerIn, newCommand, readOperatorFile, Refusal, runCommand, UsageError } from '../client/command-line';
import {
  ClientDocumentRefused,
  decodeClientDocument,
  MAX_CLIENT_DOCUMENT_BYTES,
  MAX_INVOICE_LINES,
  MAX_NESTING_DEPTH,
  MAX_TEXT_CHARACTERS,
  refuseIfTooLarge,
} from '../domain/ehf/client-document';
import { describeFailure, isFatal, type RuleFailure } from '../domain/ehf/rules';
import { fatal } from '../domain/ehf/rules/rule';
import { CLIENT_NUMBER_DIGITS, KID_MAX_LENGTH, KID_MIN_LENGTH, type KidMethod, type KidScheme } from '../domain/kid';
import { DEMO_KID_SCHEME, DEMO_SETTINGS } from '../documents/demo-settings';
import { prepareInvoiceDocuments, type InvoiceDocuments } from '../documents/invoice-documents';
import { kidSchemeSchema } from '../documents/settings';

/**
 * `npm run -s preview -- <client-invoice.xml> [--out DIR] [--kid-scheme mod10|mod11] [--kid-length N]
 * [--client-no N] [--invoice-no N] [--json]`
 *
 * Writes the outgoing EHF (<name>.ehf.xml) and the PDF (<name>.pdf) that the end customer would
 * receive for one client invoice, with the demo's Factoring Finans settings, prints the KID and
 * every rule that failed, and exits 1 when a fatal rule failed (the invoice would be held back).
 * A client document the service would refuse (too large, too deep, not UTF-8, …) is shown the same
 * way, with its FF-DOC rule, and nothing is written. Exit 2: a usage error.
 */
const program = newCommand('preview', "Build the outgoing EHF and PDF for one client invoice, as the service would send them, and show every rule that fails.")
  .argument('<client-invoice.xml>', "the client's invoice or credit note as EHF (PEPPOL BIS Billing 3.0, UTF-8)")
  .option('--out <dir>', 'directory for <name>.ehf.xml and <name>.pdf (created if missing)', '.')
  .option('--kid-scheme <method>', `KID check digit: mod10 or mod11 (default: ${DEMO_KID_SCHEME.method.toLowerCase()}, the demo client's)`, kidMethod)
  .option('--kid-length <n>', `KID length including the check digit, ${KID_MIN_LENGTH}–${KID_MAX_LENGTH} (default: ${DEMO_KID_SCHEME.length})`, integerIn(KID_MIN_LENGTH, KID_MAX_LENGTH))
  .option('--client-no <n>', `Factoring Finans' number for the client, the KID's first ${CLIENT_NUMBER_DIGITS} digits (default: ${DEMO_KID_SCHEME.clientNumber})`, integerIn(0, 10 ** CLIENT_NUMBER_DIGITS - 1))
  .option(
    '--invoice-no <n>',
    "the number the KID is built from, as the service takes it from PowerOffice GO's InvoiceNo (unique per client). " +
      'Without it the invoice\'s cbc:ID is used when it is all digits; for an ID like "2026-0417" or "F-26-0312" the preview uses its digits and warns (FF-KID-04)',
    integerIn(0, Number.MAX_SAFE_INTEGER),
  )
  .option('--json', 'print the KID, the files written and the failures as JSON, for scripts')
  .addHelpText(
    'after',
    `
Exit codes: 0 ready for distribution; 1 held back (every failed rule is printed; a refused
document writes nothing) or the file cannot be read; 2 usage error.
The client's document must be UTF-8, at most ${MAX_CLIENT_DOCUMENT_BYTES / 1024 / 1024} MiB, ${MAX_INVOICE_LINES} lines, nested at most ${MAX_NESTING_DEPTH} deep,
with texts of at most ${MAX_TEXT_CHARACTERS} characters and no characters XML 1.0 forbids (README, "Invoice documents").`,
  )
  .action(async (file: string, options: PreviewOptions) => {
    const kidScheme = kidSchemeOf(options);
    const out = outputDirectory(options.out);
    const result = await previewDocuments(file, kidScheme, options.invoiceNo);
    const written = writeOutputs(file, out, result);
    show(result, kidScheme, written, options.json === true);
    process.exitCode = result.ready ? 0 : 1;
  });

interface PreviewOptions {
  out: string;
  kidScheme?: KidMethod;
  kidLength?: number;
  clientNo?: number;
  invoiceNo?: number;
  json?: boolean;
}

function kidMethod(value: string): KidMethod {
  const method = value.trim().toUpperCase();
  if (method !== 'MOD10' && method !== 'MOD11') throw new InvalidArgumentError('expected mod10 or mod11.');
  return method;
}

/** The demo scheme with the options given; a length too short for the method is a usage error. */
function kidSchemeOf(options: PreviewOptions): KidScheme {
  const scheme = kidSchemeSchema.safeParse({
    method: options.kidScheme ?? DEMO_KID_SCHEME.method,
    length: options.kidLength ?? DEMO_KID_SCHEME.length,
    clientNumber: options.clientNo ?? DEMO_KID_SCHEME.clientNumber,
  });
  if (!scheme.success) throw new UsageError(`--kid-length and --kid-scheme do not fit together: ${scheme.error.issues.map((i) => i.message).join('; ')}.`);
  return scheme.data;
}

/** --out must be a directory or not exist yet; it is created only when there is something to write. */
function outputDirectory(out: string): string {
  try {
    if (!statSync(out).isDirectory()) throw new Refusal(`--out ${out} is a file, not a directory; give a directory (it is created if missing).`);
  } catch (err) {
    if (err instanceof Refusal) throw err;
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Refusal(`Cannot use --out ${out}: ${fileProblem(err)}.`);
  }
  return out;
}

/** The documents, or the client document's refusal as a failed rule (nothing to write then). */
async function previewDocuments(file: string, kidScheme: KidScheme, invoiceNumber: number | undefined): Promise<InvoiceDocuments> {
  let clientXml: string;
  try {
    clientXml = decodeClientDocument(readClientFile(file));
  } catch (err) {
    if (err instanceof ClientDocumentRefused) return refused(fatal(err.ruleId, err.message));
    throw err;
  }
  return prepareInvoiceDocuments({ clientXml, settings: DEMO_SETTINGS, kidScheme, invoiceNumber, previewKid: true });
}

function refused(failure: RuleFailure): InvoiceDocuments {
  return { ready: false, failures: [failure] };
}

/** The file's bytes; one that is not there, not a file or larger than any EHF is refused without reading it. */
function readClientFile(file: string): Uint8Array {
  return readOperatorFile(file, "the client's invoice (EHF XML)", refuseIfTooLarge);
}

interface Written {
  ehf?: string;
  pdf?: string;
}

function writeOutputs(file: string, out: string, result: InvoiceDocuments): Written {
  if (result.ehfXml === undefined && result.pdf === undefined) return {};
  const name = basename(file, extname(file));
  const ehf = resolve(join(out, `${name}.ehf.xml`));
  const pdf = resolve(join(out, `${name}.pdf`));
  if (ehf === resolve(file) || pdf === resolve(file)) throw new Refusal(`Writing to --out ${out} would overwrite ${file} itself; give another directory.`);
  try {
    mkdirSync(out, { recursive: true });
    if (result.ehfXml !== undefined) writeFileSync(ehf, result.ehfXml);
    if (result.pdf !== undefined) writeFileSync(pdf, result.pdf);
  } catch (err) {
    throw new Refusal(`Cannot write to ${out}: ${fileProblem(err)}.`);
  }
  return { ...(result.ehfXml !== undefined ? { ehf } : {}), ...(result.pdf !== undefined ? { pdf } : {}) };
}

function show(result: InvoiceDocuments, scheme: KidScheme, written: Written, json: boolean): void {
  if (json) {
    console.log(JSON.stringify({ ready: result.ready, kid: result.kid ?? null, kidScheme: scheme, written, failures: result.failures }, null, 2));
    return;
  }
  console.log(`KID: ${result.kid ?? '(none)'} (${scheme.method}, ${scheme.length} digits, client ${scheme.clientNumber})`);
  if (written.ehf) console.log(`EHF: ${written.ehf}`);
  if (written.pdf) console.log(`PDF: ${written.pdf}`);
  for (const failure of result.failures) console.log(`${isFatal(failure) ? 'FAILED' : 'warning'} ${describeFailure(failure)}`);
  console.log(result.ready ? 'Ready for distribution: no rule failed.' : `Held back: ${result.failures.filter(isFatal).length} rule(s) failed.`);
}

void runCommand(program);
