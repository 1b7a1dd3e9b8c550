import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { describeFailure, isFatal } from '../domain/ehf/rules';
import { DEMO_KID_SCHEME, DEMO_SETTINGS } from '../documents/demo-settings';
import { prepareInvoiceDocuments } from '../documents/invoice-documents';
import { kidSchemeSchema } from '../documents/settings';

/**
 * npm run -s preview -- <client-invoice.xml> [--out DIR] [--kid-scheme mod10|mod11]
 *                       [--kid-length N] [--client-no N] [--invoice-no N]
 *
 * Writes the outgoing EHF (<name>.ehf.xml) and the PDF (<name>.pdf) that the end customer would
 * receive for one client invoice, with the demo's Factoring Finans settings, prints the KID and
 * every rule that failed, and exits 1 when a fatal rule failed (the invoice would be held back).
 */
const USAGE = 'usage: npm run -s preview -- <client-invoice.xml> [--out DIR] [--kid-scheme mod10|mod11] [--kid-length N] [--client-no N] [--invoice-no N]';

const optionsSchema = z.object({
  input: z.string().min(1),
  out: z.string().min(1),
  kidScheme: kidSchemeSchema,
  invoiceNumber: z.number().int().min(0).optional(),
});
type PreviewOptions = z.infer<typeof optionsSchema>;

function parseOptions(argv: string[]): PreviewOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string', default: '.' },
      'kid-scheme': { type: 'string' },
      'kid-length': { type: 'string' },
      'client-no': { type: 'string' },
      'invoice-no': { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new Error(USAGE);
  const number = (text: string | undefined): number | undefined => (text === undefined ? undefined : Number(text));
  return optionsSchema.parse({
    input: positionals[0],
    out: values.out,
    kidScheme: {
      method: values['kid-scheme'] === undefined ? DEMO_KID_SCHEME.method : values['kid-scheme'].toUpperCase(),
      length: number(values['kid-length']) ?? DEMO_KID_SCHEME.length,
      clientNumber: number(values['client-no']) ?? DEMO_KID_SCHEME.clientNumber,
    },
    invoiceNumber: number(values['invoice-no']),
  });
}

async function main(argv: string[]): Promise<number> {
  let options: PreviewOptions;
  try {
    options = parseOptions(argv);
  } catch (error) {
    console.error(error instanceof z.ZodError ? `${z.prettifyError(error)}\n${USAGE}` : error instanceof Error ? error.message : String(error));
    return 2;
  }
  const result = await prepareInvoiceDocuments({
    clientXml: readFileSync(options.input, 'utf8'),
    settings: DEMO_SETTINGS,
    kidScheme: options.kidScheme,
    invoiceNumber: options.invoiceNumber,
  });
  const name = basename(options.input, extname(options.input));
  mkdirSync(options.out, { recursive: true });
  console.log(`KID: ${result.kid ?? '(none)'} (${options.kidScheme.method}, ${options.kidScheme.length} digits, client ${options.kidScheme.clientNumber})`);
  if (result.ehfXml !== undefined) writeOutput(join(options.out, `${name}.ehf.xml`), result.ehfXml, 'EHF');
  if (result.pdf !== undefined) writeOutput(join(options.out, `${name}.pdf`), result.pdf, 'PDF');
  for (const failure of result.failures) console.log(`${isFatal(failure) ? 'FAILED' : 'warning'} ${describeFailure(failure)}`);
  console.log(result.ready ? 'Ready for distribution: no rule failed.' : `Held back: ${result.failures.filter(isFatal).length} rule(s) failed.`);
  return result.ready ? 0 : 1;
}

function writeOutput(path: string, content: string | Buffer, what: string): void {
  writeFileSync(path, content);
  console.log(`${what}: ${resolve(path)}`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  },
);
