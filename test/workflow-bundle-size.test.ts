import { join, relative, sep } from 'node:path';
import { bundledSources } from '../worker/workflow-bundle-cache';
import { workflowBundle } from './helpers/temporal';

/**
 * The workflow bundle stays lean. The SDK evaluates every module `workflows/index.ts` reaches once
 * for each workflow a worker holds, so each import is paid per open workflow: with zod, date-fns
 * and the OCR parser in the bundle a waiting workflow cost 1.72 MB of worker RSS, without them
 * 0.38 MB, against 0.33 MB for a bundle of one empty workflow (test/resilience/workflow-memory.bench.ts,
 * 1,000 open workflows). Inputs are validated at the boundaries (commands, activities) instead.
 *
 * Measured when this was written: 663 KB of code (1,358 KB before), 101 modules (175 before); the
 * SDK alone is 529 KB. The limit leaves room for the workflows to grow, not for a library to come back.
 */
const CODE_LIMIT_BYTES = 800_000;

const root = join(__dirname, '..');

/** Libraries and code a workflow never needs to decide anything, by path from the repository's root. */
const heavy: { what: string; path: RegExp }[] = [
  { what: 'zod', path: /^node_modules\/zod\// },
  { what: 'date-fns', path: /^node_modules\/(date-fns|@date-fns)\// },
  { what: 'PDF and fonts', path: /^node_modules\/(pdfkit|fontkit|dejavu-fonts-ttf)\// },
  { what: 'XML, JSON Schema and YAML libraries', path: /^node_modules\/(@xmldom|xpath|fast-xml-parser|ajv|ajv-formats|yaml)\// },
  { what: 'EHF', path: /^domain\/ehf\// },
  { what: 'OCR parser (the workflow checks only the envelope)', path: /^domain\/ocr-giro\/(?!import-envelope\.ts$)/ },
  { what: 'I/O code', path: /^(documents|adapters|activities|client|config|logging|emulators|worker)\// },
];

/** The bundle's JavaScript, without the inline source map webpack appends (a comment, never evaluated). */
function codeOnly(code: string): string {
  const map = code.lastIndexOf('//# sourceMappingURL=');
  return map < 0 ? code : code.slice(0, map);
}

describe('the workflow bundle', () => {
  let modules: string[] = [];
  let codeBytes = 0;

  beforeAll(async () => {
    const { code } = await workflowBundle();
    modules = bundledSources(code).map((file) => relative(root, file).split(sep).join('/'));
    codeBytes = Buffer.byteLength(codeOnly(code));
    console.log(`workflow bundle: ${codeBytes} bytes of code (limit ${CODE_LIMIT_BYTES}), ${modules.length} modules`);
  }, 120_000);

  test('holds its modules as the source map names them (else the checks below would pass on nothing)', () => {
    expect(modules).toContain('workflows/invoice-workflow.ts');
    expect(modules.some((file) => file.startsWith('node_modules/@temporalio/workflow/'))).toBe(true);
  });

  test.each(heavy)('holds no $what', ({ path }) => {
    expect(modules.filter((file) => path.test(file))).toEqual([]);
  });

  test(`is under ${CODE_LIMIT_BYTES} bytes of code`, () => {
    expect(codeBytes).toBeLessThan(CODE_LIMIT_BYTES);
  });
});
