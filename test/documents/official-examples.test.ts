import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { validateKid } from '../../domain/kid';
import { DEMO_KID_SCHEME } from '../../documents/demo-settings';
import { PEPPOL_RULES_RELEASE, type PeppolValidationReport } from '../../scripts/peppol-validation/peppol-validation';
import { fixture, kidIn, officialExamples, PEPPOL_EXAMPLES_DIR, previewOutput, runPreview, validateOutgoingDocuments } from './fixtures';
import { expectStrictlyWellFormed } from './strict-xml';

/**
 * OpenPEPPOL's published PEPPOL BIS Billing 3.0 examples, when they are at hand: every .xml file
 * in PEPPOL_EXAMPLES_DIR (default ../shared/peppol-examples) goes through the preview with no rule
 * failing, and its outgoing EHF through the official validation. They are not in this repository
 * (test/fixtures/ehf/README.md); without them these checks are not defined, and this says so once.
 */
const examples = officialExamples();
if (examples === undefined || examples.length === 0) {
  console.warn(
    `The official PEPPOL example checks did NOT run: ${PEPPOL_EXAMPLES_DIR} ${examples === undefined ? 'does not exist' : 'holds no .xml file'}. ` +
      'To run them, set PEPPOL_EXAMPLES_DIR to a directory holding OpenPEPPOL\'s example files (see test/fixtures/ehf/README.md).',
  );
}

describe('reading the official examples directory', () => {
  let dir: string;
  const invoice = fixture('poweroffice/invoice-several-vat-rates.xml');
  const creditNote = fixture('poweroffice/credit-note.xml');

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'peppol-examples-'));
    writeFileSync(join(dir, 'base-example.xml'), invoice.replace('<cbc:ID>10023</cbc:ID>', '<cbc:ID>Snippet1</cbc:ID>'));
    writeFileSync(join(dir, 'numeric-id.xml'), invoice);
    writeFileSync(join(dir, 'text-id-b.xml'), creditNote.replace('<cbc:ID>10031</cbc:ID>', '<cbc:ID>CN-31</cbc:ID>'));
    writeFileSync(join(dir, 'text-id-a.xml'), invoice.replace('<cbc:ID>10023</cbc:ID>', '<cbc:ID>TOSL108</cbc:ID>'));
    writeFileSync(join(dir, 'too-long-id.xml'), invoice.replace('<cbc:ID>10023</cbc:ID>', '<cbc:ID>1234567890123</cbc:ID>'));
    writeFileSync(join(dir, 'README.md'), 'not an example');
    mkdirSync(join(dir, 'folder.xml'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('lists every .xml file by name: known examples numbered by the table, others by their numeric ID, else a running number', () => {
    const at = (name: string): string => join(dir, name);
    expect(officialExamples(dir)).toEqual([
      { name: 'base-example.xml', path: at('base-example.xml'), invoiceNumber: 1, kind: 'Invoice' },
      { name: 'numeric-id.xml', path: at('numeric-id.xml'), invoiceNumber: 10023, kind: 'Invoice' },
      { name: 'text-id-a.xml', path: at('text-id-a.xml'), invoiceNumber: 1001, kind: 'Invoice' },
      { name: 'text-id-b.xml', path: at('text-id-b.xml'), invoiceNumber: 1002, kind: 'CreditNote' },
      { name: 'too-long-id.xml', path: at('too-long-id.xml'), invoiceNumber: 1003, kind: 'Invoice' },
    ]);
  });

  test('a directory that does not exist gives no examples (and the checks are not defined)', () => {
    expect(officialExamples(join(dir, 'absent'))).toBeUndefined();
  });
});

if (examples !== undefined && examples.length > 0) {
  describe(`the official PEPPOL BIS 3 examples in ${PEPPOL_EXAMPLES_DIR} through the preview`, () => {
    let out: string;
    beforeAll(() => {
      out = mkdtempSync(join(tmpdir(), 'preview-official-'));
    });
    afterAll(() => rmSync(out, { recursive: true, force: true }));

    test.each(examples)('$name (invoice number $invoiceNumber): no rule fails', ({ path, invoiceNumber, kind }) => {
      const run = runPreview([path, '--out', out, '--invoice-no', String(invoiceNumber)]);
      expect(run.stdout).not.toContain('FAILED');
      expect(run.stdout).toContain('Ready for distribution: no rule failed.');
      expect(run.status).toBe(0);
      expect(validateKid(kidIn(run.stdout), 'MOD10')).toEqual({ valid: true });
      const written = previewOutput(path, out);
      expect(written.ehf.kind).toBe(kind);
      expect(written.pdfWritten).toBe(true);
      expectStrictlyWellFormed([{ name: path, xml: readFileSync(join(out, `${basename(path, extname(path))}.ehf.xml`), 'utf8') }]);
    });
  });

  describe(`the official PEPPOL BIS 3 examples' outgoing EHF under the official validation (OpenPeppol ${PEPPOL_RULES_RELEASE} rules, UBL 2.1 XSD)`, () => {
    let reports: Map<string, PeppolValidationReport>;
    beforeAll(() => {
      reports = validateOutgoingDocuments(
        examples.map(({ name, path, invoiceNumber }) => ({ name, clientXml: readFileSync(path, 'utf8'), kidScheme: DEMO_KID_SCHEME, invoiceNumber })),
      );
    }, 600_000);

    test.each(examples)('$name: valid, without warnings', ({ name }) => {
      const report = reports.get(name);
      expect(report).toBeDefined();
      expect(report?.failures.map((f) => `${f.id} (${f.flag}): ${f.text}`)).toEqual([]);
    });
  });
}
