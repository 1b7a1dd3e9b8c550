import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_ELEMENTS, MAX_INVOICE_LINES, MAX_TEXT_CHARACTERS } from '../../domain/ehf/client-document';
import { hasStackTrace, runProjectCommand } from '../helpers/run-command';
import { BASE_INVOICE, invoiceWithLines, nestedInNote, withBuyerName, withInvoiceId, withNote, withSellerName } from '../documents/client-documents';

/**
 * Bad client documents and operator mistakes, run through `npm run -s preview` as an operator runs
 * it. Each row: the exact sentence a person reads, the exit code, and that nothing was written
 * (the --out directory is not even created). The preview talks to no emulator and no Temporal
 * server, so files are the only thing it could change. The same document sentences reach the
 * invoice's reasons in the service (prepareOutgoingDocument, test/documents/client-document.test.ts).
 */

/** A document refused: what `preview` prints on stdout, exit 1. */
function heldBack(ruleId: string, sentence: string): Expected {
  return { code: 1, stdout: `KID: (none) (MOD10, 15 digits, client 42)\nFAILED ${ruleId} (fatal): ${sentence}\nHeld back: 1 rule(s) failed.\n`, stderr: '' };
}

/** The command refused (exit 1) or a usage error (exit 2): one sentence on stderr, nothing on stdout. */
function refused(code: 1 | 2, stderr: string): Expected {
  return { code, stdout: '', stderr };
}

interface Expected {
  code: number;
  stdout: string;
  stderr: string;
}

interface Row {
  name: string;
  /** The client's file, written to <dir>/invoice.xml; absent: no file is written. */
  file?: string | Buffer;
  /** The arguments; {file}, {dir} and {out} stand for the client's file, its directory and a fresh --out directory. */
  args: string[];
  expected: (paths: { file: string; dir: string; out: string }) => Expected;
}

const USAGE_HINT = '(npm run -s preview -- --help shows every option)\n';
const bigNote = withNote('x'.repeat(50 * 1024 * 1024));
const manyElements = withNote('x').replace('<cbc:Note>x</cbc:Note>', `<cbc:Note>x</cbc:Note>${'<y/>'.repeat(MAX_ELEMENTS)}`);
const firstNonAscii = BASE_INVOICE.search(/[^\p{ASCII}]/u);
const standard = ['{file}', '--out', '{out}'];

const rows: Row[] = [
  {
    name: '20,000 nested elements (used to overflow the stack)',
    file: nestedInNote(20_000),
    args: standard,
    expected: () => heldBack('FF-DOC-02', "The client's EHF is nested 20002 levels deep; at most 64 are accepted."),
  },
  {
    name: 'a 50 MB note (the whole document over 20 MiB)',
    file: bigNote,
    args: standard,
    expected: () => heldBack('FF-DOC-01', `The client's EHF is ${Buffer.byteLength(bigNote)} bytes; at most 20971520 bytes (20 MiB) are accepted.`),
  },
  {
    name: 'a note one character longer than the longest text',
    file: withNote('x'.repeat(MAX_TEXT_CHARACTERS + 1)),
    args: standard,
    expected: () => heldBack('FF-DOC-05', "The client's EHF has a cbc:Note of 10001 characters at line 15, column 3; at most 10000 are accepted in one text."),
  },
  {
    name: 'one invoice line more than the most accepted',
    file: invoiceWithLines(MAX_INVOICE_LINES + 1),
    args: standard,
    expected: () => heldBack('FF-DOC-04', "The client's EHF has 10001 invoice lines; at most 10000 are accepted."),
  },
  {
    name: 'more elements than accepted',
    file: manyElements,
    args: standard,
    expected: () => heldBack('FF-DOC-03', `The client's EHF has ${(manyElements.match(/<[A-Za-z]/g) ?? []).length} elements; at most 500000 are accepted.`),
  },
  {
    name: "a control character (U+0001) in the buyer's name",
    file: withBuyerName('Kunde\u0001 AS'),
    args: standard,
    expected: () => heldBack('FF-DOC-06', "The client's EHF contains U+0001 (a control character) in cbc:RegistrationName at line 76, column 36; XML 1.0 forbids it."),
  },
  {
    name: 'a bell (U+0007) written as a character reference in the note',
    file: withNote('Ring&#7; oss'),
    args: standard,
    expected: () => heldBack('FF-DOC-06', "The client's EHF contains U+0007 (a control character) in cbc:Note at line 15, column 3; XML 1.0 forbids it."),
  },
  {
    name: 'a Latin-1 file declared as UTF-8',
    file: Buffer.from(BASE_INVOICE, 'latin1'),
    args: standard,
    expected: () =>
      heldBack(
        'FF-DOC-07',
        `The client's EHF is not valid UTF-8: byte 0xF8 at offset ${firstNonAscii} (line 15) is not part of a UTF-8 character; EHF must be saved as UTF-8, not ISO-8859-1 or Windows-1252.`,
      ),
  },
  {
    name: 'a document that declares ISO-8859-1',
    file: BASE_INVOICE.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'),
    args: standard,
    expected: () => heldBack('FF-DOC-07', "The client's EHF declares the encoding ISO-8859-1; EHF must be UTF-8."),
  },
  {
    name: "a replacement character (U+FFFD) in the seller's name, left by an earlier wrong decoding",
    file: withSellerName('Bl\uFFFDb\uFFFDr'),
    args: standard,
    expected: () =>
      heldBack(
        'FF-DOC-06',
        "The client's EHF contains U+FFFD (the replacement character) in cbc:Name at line 29, column 21; it stands for a character that was not valid UTF-8 when the document was read.",
      ),
  },
  {
    name: 'the HTML entity &nbsp; in the client\'s XML',
    file: withSellerName('Blåbær&nbsp;Søn'),
    args: standard,
    expected: () =>
      heldBack(
        'XML',
        "The client's EHF is not well-formed XML: the entity &nbsp; is not defined in XML (write the character itself, or a character reference such as &#160;) (line 29, column 9).",
      ),
  },
  {
    name: 'an entity declared in a DTD (entity expansion is never done)',
    file: '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n<Invoice>&lol2;</Invoice>',
    args: standard,
    expected: () =>
      heldBack(
        'XML',
        "The client's EHF is not well-formed XML: the entity &lol2; is not defined in XML (write the character itself, or a character reference such as &#160;) (line 3, column 1).",
      ),
  },
  {
    name: 'a file that is not XML',
    file: 'Faktura 10023, kr 13 475,00',
    args: standard,
    expected: () => heldBack('XML', "The client's EHF is not well-formed XML: missing root element."),
  },
  {
    name: 'an empty file',
    file: '',
    args: standard,
    expected: () => heldBack('XML', "The client's EHF is empty."),
  },
  {
    name: 'an order instead of an invoice',
    file: '<?xml version="1.0" encoding="UTF-8"?>\n<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>',
    args: standard,
    expected: () =>
      heldBack('UBL-XSD', "The client's EHF cannot be read: root element {urn:oasis:names:specification:ubl:schema:xsd:Order-2}Order is neither a UBL 2.1 Invoice nor a CreditNote (/)."),
  },
  {
    name: 'an invoice number with no digits at all ("FAKTURA-A") without --invoice-no',
    file: withInvoiceId('FAKTURA-A'),
    args: standard,
    expected: () =>
      heldBack(
        'FF-KID-03',
        'The invoice number "FAKTURA-A" (cbc:ID) is not all digits, and a KID is built from a number unique per client: give PowerOffice GO\'s invoice number for it (preview: --invoice-no N).',
      ),
  },
  {
    name: 'an invoice number too long for the KID',
    file: BASE_INVOICE,
    args: [...standard, '--invoice-no', '1234567890'],
    expected: () => heldBack('FF-KID-03', 'No KID can be built: invoice number 1234567890 has 10 digits; a MOD10 KID of length 15 has room for 9.'),
  },
  {
    name: 'an unknown option',
    file: BASE_INVOICE,
    args: [...standard, '--bogus'],
    expected: () => refused(2, `error: unknown option '--bogus'\n${USAGE_HINT}`),
  },
  {
    name: 'no file given',
    args: ['--out', '{out}'],
    expected: () => refused(2, `error: missing required argument 'client-invoice.xml'\n${USAGE_HINT}`),
  },
  {
    name: 'two files given',
    file: BASE_INVOICE,
    args: [...standard, '{file}'],
    expected: () => refused(2, `error: too many arguments. Expected 1 argument but got 2.\n${USAGE_HINT}`),
  },
  {
    name: '--invoice-no that is not a number',
    file: BASE_INVOICE,
    args: [...standard, '--invoice-no', 'F-26-0312'],
    expected: () => refused(2, `error: option '--invoice-no <n>' argument 'F-26-0312' is invalid. expected a whole number from 0 to 9007199254740991.\n${USAGE_HINT}`),
  },
  {
    name: '--invoice-no without its value',
    file: BASE_INVOICE,
    args: [...standard, '--invoice-no'],
    expected: () => refused(2, `error: option '--invoice-no <n>' argument missing\n${USAGE_HINT}`),
  },
  {
    name: 'a KID method that does not exist',
    file: BASE_INVOICE,
    args: [...standard, '--kid-scheme', 'mod12'],
    expected: () => refused(2, `error: option '--kid-scheme <method>' argument 'mod12' is invalid. expected mod10 or mod11.\n${USAGE_HINT}`),
  },
  {
    name: 'a KID too short for its method',
    file: BASE_INVOICE,
    args: [...standard, '--kid-scheme', 'mod11', '--kid-length', '7'],
    expected: () => refused(2, 'error: --kid-length and --kid-scheme do not fit together: a MOD11 KID needs at least 8 digits to hold a client number and an invoice number.\n'),
  },
  {
    name: 'a file that is not there',
    args: ['{file}', '--out', '{out}'],
    expected: ({ file }) => refused(1, `Cannot read ${file}: there is no such file.\n`),
  },
  {
    name: 'a directory instead of a file',
    args: ['{dir}', '--out', '{out}'],
    expected: ({ dir }) => refused(1, `Cannot read ${dir}: it is a directory; give the client's invoice (EHF XML) itself.\n`),
  },
  {
    name: '--out that is a file',
    file: BASE_INVOICE,
    args: ['{file}', '--out', '{file}'],
    expected: ({ file }) => refused(1, `--out ${file} is a file, not a directory; give a directory (it is created if missing).\n`),
  },
];

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'bad-documents-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('bad client documents and preview mistakes: a clear sentence, the right exit code, nothing written', () => {
  it.each(rows.map((row, index) => ({ ...row, index })))('$name', async ({ file: content, args, expected, index }) => {
    const dir = join(root, `row-${index}`);
    mkdirSync(dir);
    const file = join(dir, 'invoice.xml');
    const out = join(dir, 'out');
    if (content !== undefined) writeFileSync(file, content);
    const before = content === undefined ? [] : [readFileSync(file)];

    const run = await runProjectCommand('scripts/preview.ts', args.map((arg) => arg.replaceAll('{file}', file).replaceAll('{dir}', dir).replaceAll('{out}', out)), {}, { timeoutMs: 120_000 });

    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual(expected({ file, dir, out }));
    expect(hasStackTrace(run.stdout + run.stderr)).toBe(false);
    // Nothing written: no --out directory, the client's file untouched, nothing else beside it.
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual(content === undefined ? [] : ['invoice.xml']);
    if (content !== undefined) expect(readFileSync(file).equals(before[0] as Buffer)).toBe(true);
  }, 120_000);

  test('the table has at least 15 rows', () => {
    expect(rows.length).toBeGreaterThanOrEqual(15);
  });
});
