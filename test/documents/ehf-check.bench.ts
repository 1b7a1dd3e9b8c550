import { DEMO_KID_SCHEME, DEMO_SETTINGS } from '../../documents/demo-settings';
import { ehfFingerprint, prepareOutgoingEhf } from '../../documents/invoice-documents';
import { readOutgoingDocument } from '../../domain/ehf/outgoing-document';
import { parseXml } from '../../domain/ehf/xml-reader';
import { PDF_INVOICES } from './pdf-invoices';

/**
 * Milliseconds per invoice for the outgoing EHF at send: built and checked by the rules (as every
 * send did, and still does without the assessment's fingerprint), and built and hashed (the same
 * bytes as the assessment checked: the rules are skipped); for a PDF send the EHF is also read
 * back, which a check does anyway. Then where the time goes: reading the client's XML alone. Over
 * N invoices taken in turn from pdf-invoices.ts. Run: `npx tsx test/documents/ehf-check.bench.ts [N]`
 * (default 200). The ways alternate over three rounds after a warm-up, and the median round is the
 * figure; printed, never asserted (a loaded machine is slower).
 */
const count = Number(process.argv[2] ?? 200);
const ROUNDS = 3;

const invoices = PDF_INVOICES.map(({ clientXml }) => clientXml());
const request = (clientXml: string, checkedFingerprint?: string) => ({
  clientXml,
  settings: DEMO_SETTINGS,
  kidScheme: DEMO_KID_SCHEME,
  ...(checkedFingerprint !== undefined ? { checkedFingerprint } : {}),
});
const fingerprints = invoices.map((clientXml) => prepareOutgoingEhf(request(clientXml)).fingerprint);
const nth = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;

function msPerInvoice(work: (i: number) => void): number {
  const started = performance.now();
  for (let i = 0; i < count; i += 1) work(i);
  return (performance.now() - started) / count;
}

const ways: Record<string, (i: number) => void> = {
  'built and checked (no fingerprint, or other bytes)': (i) => prepareOutgoingEhf(request(nth(invoices, i))),
  'built and hashed, same bytes: EHF send': (i) => prepareOutgoingEhf(request(nth(invoices, i), nth(fingerprints, i))),
  'built and hashed, read back for a PDF': (i) => {
    const outgoing = prepareOutgoingEhf(request(nth(invoices, i), nth(fingerprints, i)));
    readOutgoingDocument(outgoing.xml ?? '');
  },
  "of which reading the client's XML (parseXml)": (i) => parseXml(nth(invoices, i)),
};

const median = (figures: number[]): number => [...figures].sort((a, b) => a - b)[Math.floor(figures.length / 2)] ?? NaN;
const ms = (figure: number): string => `${figure.toFixed(2)} ms`;

function main(): void {
  if (!Number.isInteger(count) || count < 1) throw new Error(`N must be a whole number of invoices, at least 1 (got ${process.argv[2]})`);
  invoices.forEach((clientXml, i) => {
    const checked = prepareOutgoingEhf(request(clientXml));
    const skipped = prepareOutgoingEhf(request(clientXml, fingerprints[i]));
    if (!checked.ready || !skipped.checkedBefore || skipped.xml !== checked.xml || ehfFingerprint(skipped.xml ?? '') !== fingerprints[i]) {
      throw new Error(`invoice ${i + 1}: the two ways built different EHFs, or the check was not skipped: the figures would compare different work`);
    }
  });
  const figures: Record<string, number[]> = Object.fromEntries(Object.keys(ways).map((name) => [name, []]));
  for (let round = 0; round <= ROUNDS; round += 1) {
    // Round 0 warms up the JIT and is not counted.
    for (const [name, work] of Object.entries(ways)) {
      const figure = msPerInvoice(work);
      if (round > 0) figures[name]?.push(figure);
    }
  }
  console.log(`${count} invoices (${PDF_INVOICES.length} kinds in turn), median of ${ROUNDS} rounds, the same bytes every way:`);
  for (const [name, rounds] of Object.entries(figures)) console.log(`  ${name.padEnd(52)} ${ms(median(rounds))} per invoice`);
}

main();
