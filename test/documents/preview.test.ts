import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseBillingDocument } from '../../domain/ehf/parse-ubl';
import { generateKid, validateKid } from '../../domain/kid';
import { DEMO_KID_SCHEME } from '../../documents/demo-settings';
import { CLIENT_DOCUMENTS, FIXTURE_DIR, fixture, kidIn, pdfText, previewOutput, ROOT, runPreview as preview } from './fixtures';
import { expectStrictlyWellFormed } from './strict-xml';

let out: string;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'preview-'));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run -s preview', () => {
  test('writes the EHF and the PDF, prints the KID, and exits 0 when no rule fails', () => {
    const run = spawnSync('npm', ['run', '-s', 'preview', '--', join(FIXTURE_DIR, 'poweroffice/invoice-several-vat-rates.xml'), '--out', out], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stdout).toContain('KID: 000420000100230 (MOD10, 15 digits, client 42)');
    expect(run.stdout).toContain('Ready for distribution: no rule failed.');
    expect(run.status).toBe(0);
    expect(parseBillingDocument(readFileSync(join(out, 'invoice-several-vat-rates.ehf.xml'), 'utf8')).paymentMeans[0]?.paymentId).toBe('000420000100230');
    expect(readFileSync(join(out, 'invoice-several-vat-rates.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  });
});

/** The warnings the preview prints for a client document; none, except the PDF's for the emoji it cannot show. */
const EXPECTED_WARNINGS: Readonly<Record<string, string[]>> = {
  'poweroffice/invoice-special-characters.xml': ['warning FF-PDF-01 (warning, InvoiceLine 4 Item/Name)'],
};

describe('every client document through the preview', () => {
  test.each(CLIENT_DOCUMENTS)('$file: no rule fails', ({ file, kind }) => {
    const input = join(FIXTURE_DIR, file);
    const run = preview([input, '--out', out]);
    expect(run.stdout).not.toContain('FAILED');
    const warnings = run.stdout.split('\n').filter((line) => line.startsWith('warning'));
    expect(warnings.map((line) => line.slice(0, line.indexOf(':')))).toEqual(EXPECTED_WARNINGS[file] ?? []);
    expect(run.stdout).toContain('Ready for distribution: no rule failed.');
    expect(run.status).toBe(0);
    expect(validateKid(kidIn(run.stdout), 'MOD10')).toEqual({ valid: true });
    const written = previewOutput(input, out);
    expect(written.ehf.kind).toBe(kind);
    expect(written.ehf.paymentMeans[0]?.paymentId).toBe(kidIn(run.stdout));
    expect(written.pdfWritten).toBe(true);
    expectStrictlyWellFormed([{ name: file, xml: readFileSync(join(out, `${basename(file, '.xml')}.ehf.xml`), 'utf8') }]);
  });
});

describe('preview options', () => {
  test('--kid-scheme mod11 issues a MOD11 KID', () => {
    const run = preview([join(FIXTURE_DIR, 'poweroffice/credit-note.xml'), '--out', out, '--kid-scheme', 'mod11']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('(MOD11, 15 digits, client 42)');
    expect(validateKid(kidIn(run.stdout), 'MOD11')).toEqual({ valid: true });
  });

  test('--kid-length and --client-no set the client\'s KID scheme', () => {
    const run = preview([join(FIXTURE_DIR, 'poweroffice/credit-note.xml'), '--out', out, '--kid-length', '11', '--client-no', '7']);
    expect(run.status).toBe(0);
    expect(kidIn(run.stdout)).toMatch(/^0000710031\d$/);
  });

  test('an unknown KID method is refused with a usage error, exit 2', () => {
    const run = preview([join(FIXTURE_DIR, 'poweroffice/credit-note.xml'), '--kid-scheme', 'mod12']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("error: option '--kid-scheme <method>' argument 'mod12' is invalid. expected mod10 or mod11.\n(npm run -s preview -- --help shows every option)\n");
  });

  test('--invoice-no gives the KID of an invoice whose number is not all digits ("F-26-0312")', () => {
    const input = join(out, 'F-26-0312.xml');
    writeFileSync(input, fixture('poweroffice/invoice-several-vat-rates.xml').replace('<cbc:ID>10023</cbc:ID>', '<cbc:ID>F-26-0312</cbc:ID>'));
    const run = preview([input, '--out', out, '--invoice-no', '312']);
    expect(run.stdout).toContain(`KID: ${generateKid(DEMO_KID_SCHEME, 312)} (MOD10, 15 digits, client 42)`);
    expect(run.status).toBe(0);
    expect(previewOutput(input, out).ehf.id).toBe('F-26-0312');
  });

  test.each([
    ['2026-0417', 20260417],
    ['F-26-0312', 260312],
  ])('an invoice numbered "%s" previews with the KID of its digits (%d) and a warning that the service uses PowerOffice GO\'s number', (id, digits) => {
    const input = join(out, `${id}.xml`);
    writeFileSync(input, fixture('poweroffice/invoice-several-vat-rates.xml').replace('<cbc:ID>10023</cbc:ID>', `<cbc:ID>${id}</cbc:ID>`));
    const run = preview([input, '--out', out]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`KID: ${generateKid(DEMO_KID_SCHEME, digits)} (MOD10, 15 digits, client 42)`);
    expect(run.stdout).toContain(`FF-KID-04 (warning): The invoice number "${id}" (cbc:ID) is not all digits; this preview built the KID from its digits, ${digits}.`);
    expect(previewOutput(input, out).ehf.id).toBe(id);
  });

  test('--help documents every option, --invoice-no among them', () => {
    const run = preview(['--help']);
    expect(run.status).toBe(0);
    for (const option of ['--out <dir>', '--kid-scheme <method>', '--kid-length <n>', '--client-no <n>', '--invoice-no <n>', '--json', '--help']) expect(run.stdout).toContain(option);
    expect(run.stdout).toContain('preview uses its digits and warns (FF-KID-04)');
  });

  test('--json prints the KID, the files and the failures for scripts', () => {
    const run = preview([join(FIXTURE_DIR, 'poweroffice/credit-note.xml'), '--out', out, '--json']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ready: true, kid: generateKid(DEMO_KID_SCHEME, 10031), failures: [] });
  });
});

describe('a client invoice that breaks a rule', () => {
  test('prints each failed rule with its id and exits 1', () => {
    const broken = join(out, 'broken.xml');
    writeFileSync(broken, fixture('poweroffice/invoice-several-vat-rates.xml').replace(/<cbc:BuyerReference>.*<\/cbc:BuyerReference>/, '').replaceAll('314159217', '314159218'));
    const run = preview([broken, '--out', out]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('FAILED PEPPOL-EN16931-R003 (fatal)');
    expect(run.stdout).toContain('FAILED PEPPOL-COMMON-R041 (fatal, AccountingCustomerParty)');
    expect(run.stdout).toContain('Held back:');
  });

  test('still gets its EHF and PDF written, so the operator can see what the customer would get', async () => {
    const pdf = readFileSync(join(out, 'broken.pdf'));
    expect(await pdfText(pdf)).toContain('FAKTURA');
  });
});
