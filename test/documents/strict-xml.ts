import { spawnSync } from 'node:child_process';
import { DOMParser } from '@xmldom/xmldom';

/**
 * A strict XML 1.0 well-formedness check for what we send, independent of our own code: expat
 * (Python's xml.parsers.expat, the parser in most access points' toolchains) rejects forbidden
 * characters, also as references (&#1;), undefined entities (&nbsp;), "]]>" in text and bad
 * UTF-8. xmldom, which we read documents with, accepts several of these, so it cannot be the judge.
 * Python 3 is already required (the Temporal binaries). Returns one error per document, or null.
 */
export function strictXmlErrors(documents: readonly string[]): (string | null)[] {
  const run = spawnSync('python3', ['-c', EXPAT_CHECK], { input: JSON.stringify(documents), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`python3 (expat) did not run: ${run.stderr || String(run.error)}`);
  const expat = JSON.parse(run.stdout) as (string | null)[];
  return documents.map((xml, i) => expat[i] ?? xmldomStrictError(xml));
}

/** Fails the test, naming the document and expat's complaint, unless every document is well-formed. */
export function expectStrictlyWellFormed(documents: readonly { name: string; xml: string }[]): void {
  const errors = strictXmlErrors(documents.map((d) => d.xml));
  const broken = documents.flatMap((d, i) => (errors[i] ? [`${d.name}: ${errors[i]}`] : []));
  expect(broken).toEqual([]);
}

/** xmldom with every warning and error fatal: what our own reader would say. */
function xmldomStrictError(xml: string): string | null {
  try {
    new DOMParser({
      onError: (level, message) => {
        throw new Error(`${level}: ${message}`);
      },
    }).parseFromString(xml, 'text/xml');
    return null;
  } catch (error) {
    return `xmldom: ${error instanceof Error ? error.message : String(error)}`;
  }
}

const EXPAT_CHECK = `
import json, sys, xml.parsers.expat
results = []
for text in json.loads(sys.stdin.read()):
    try:
        data = text.encode('utf-8', 'surrogatepass')
        parser = xml.parsers.expat.ParserCreate()
        parser.Parse(data, True)
        results.append(None)
    except Exception as error:
        results.append('expat: ' + str(error))
print(json.dumps(results))
`;
