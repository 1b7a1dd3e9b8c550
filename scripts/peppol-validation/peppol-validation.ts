import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The official PEPPOL BIS Billing 3.0 validation artifacts, run locally: the UBL 2.1 XSD and the
 * OpenPeppol schematrons compiled to XSLT (CEN-EN16931-UBL.xslt, PEPPOL-EN16931-UBL.xslt), with
 * Saxon-HE on Java 17. The artifacts come from Maven Central, pinned:
 * - com.helger.phive.rules:phive-rules-peppol carries OpenPeppol's XSLT releases unchanged;
 * - com.helger.ubl:ph-ubl21 carries the OASIS UBL 2.1 XSDs;
 * - net.sf.saxon:Saxon-HE runs XSLT 2.0.
 * They are downloaded by Maven into .temporal/peppol-validation/ (git-ignored) on first use.
 *
 *   npx tsx scripts/peppol-validation/peppol-validation.ts <file.xml>...
 */
const ROOT = join(__dirname, '..', '..');
export const PEPPOL_VALIDATION_DIR = join(ROOT, '.temporal', 'peppol-validation');
const VALIDATOR_SOURCE = join(__dirname, 'PeppolValidate.java');
/** OpenPeppol's rule release inside phive-rules-peppol 4.3.7 (May 2026 release). */
export const PEPPOL_RULES_RELEASE = '2026.5';
const ARTIFACTS = [
  { groupId: 'net.sf.saxon', artifactId: 'Saxon-HE', version: '12.5', transitive: true },
  { groupId: 'com.helger.phive.rules', artifactId: 'phive-rules-peppol', version: '4.3.7', transitive: false },
  { groupId: 'com.helger.ubl', artifactId: 'ph-ubl21', version: '10.2.0', transitive: false },
  // The schemas UBL 2.1 imports by namespace only (ph-ubl21 resolves them from these jars).
  { groupId: 'com.helger.xsd', artifactId: 'ph-xsds-ccts-cct-schemamodule', version: '4.1.0', transitive: false },
  { groupId: 'com.helger.xsd', artifactId: 'ph-xsds-xmldsig', version: '4.1.0', transitive: false },
  { groupId: 'com.helger.xsd', artifactId: 'ph-xsds-xades132', version: '4.1.0', transitive: false },
  { groupId: 'com.helger.xsd', artifactId: 'ph-xsds-xades141', version: '4.1.0', transitive: false },
];
/** One folder per set of pinned versions, so changing a version downloads afresh. */
const LIB_DIR = join(PEPPOL_VALIDATION_DIR, `lib-${createHash('sha256').update(JSON.stringify(ARTIFACTS)).digest('hex').slice(0, 12)}`);

const failureSchema = z.object({ id: z.string(), flag: z.string(), location: z.string(), text: z.string() });
const reportSchema = z.object({ file: z.string(), failures: z.array(failureSchema) });
export type PeppolValidationReport = z.infer<typeof reportSchema>;
export type PeppolValidationFailure = z.infer<typeof failureSchema>;

export class PeppolValidationUnavailable extends Error {
  constructor(reason: string) {
    super(
      `The official PEPPOL validation cannot run: ${reason}\n` +
        'It needs Java 17+ (java) and Maven (mvn) on PATH and access to Maven Central; ' +
        `it installs into ${PEPPOL_VALIDATION_DIR}. On Debian: apt-get install -y openjdk-17-jre-headless maven`,
    );
    this.name = 'PeppolValidationUnavailable';
  }
}

/** Downloads the pinned artifacts unless they are there already (idempotent, ~1 ms when present). */
export function ensurePeppolValidationTools(): string {
  if (existsSync(join(LIB_DIR, '.complete'))) return LIB_DIR;
  for (const [tool, args] of [
    ['java', ['-version']],
    ['mvn', ['-v']],
  ] as const) {
    const probe = spawnSync(tool, args, { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) throw new PeppolValidationUnavailable(`"${tool}" is not available (${probe.error?.message ?? probe.stderr.trim()})`);
  }
  mkdirSync(LIB_DIR, { recursive: true });
  writeFileSync(join(PEPPOL_VALIDATION_DIR, 'pom.xml'), pom());
  const mvn = spawnSync('mvn', ['-q', '-B', '-f', join(PEPPOL_VALIDATION_DIR, 'pom.xml'), 'dependency:copy-dependencies', `-DoutputDirectory=${LIB_DIR}`], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (mvn.status !== 0) throw new PeppolValidationUnavailable(`Maven could not fetch the artifacts:\n${mvn.stdout}${mvn.stderr}`);
  const jars = readdirSync(LIB_DIR).filter((f) => f.endsWith('.jar'));
  for (const artifact of ARTIFACTS) {
    if (!jars.some((jar) => jar.startsWith(`${artifact.artifactId}-${artifact.version}`))) throw new PeppolValidationUnavailable(`${artifact.artifactId} was not downloaded`);
  }
  writeFileSync(join(LIB_DIR, '.complete'), `${jars.join('\n')}\n`);
  return LIB_DIR;
}

/** Validates the files in one Java run (the XSLTs are compiled once); one report per file. */
export function validateWithPeppolArtifacts(files: readonly string[]): PeppolValidationReport[] {
  const lib = ensurePeppolValidationTools();
  const run = spawnSync('java', ['-cp', join(lib, '*'), VALIDATOR_SOURCE, PEPPOL_RULES_RELEASE, ...files], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 600_000,
  });
  if (run.error) throw new PeppolValidationUnavailable(`java could not be run (${run.error.message})`);
  if (run.status !== 0) throw new PeppolValidationUnavailable(`the validator failed (exit ${String(run.status)}):\n${run.stderr}`);
  return run.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => reportSchema.parse(JSON.parse(line)));
}

function pom(): string {
  const dependencies = ARTIFACTS.map(
    (a) =>
      `    <dependency><groupId>${a.groupId}</groupId><artifactId>${a.artifactId}</artifactId><version>${a.version}</version>` +
      (a.transitive ? '' : '<exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion></exclusions>') +
      '</dependency>',
  ).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by scripts/peppol-validation/peppol-validation.ts: the official PEPPOL validation artifacts. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>no.factoringfinans.local</groupId>
  <artifactId>peppol-validation-tools</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
${dependencies}
  </dependencies>
</project>
`;
}

function main(files: string[]): number {
  if (files.length === 0) {
    console.error('usage: npx tsx scripts/peppol-validation/peppol-validation.ts <file.xml>...');
    return 2;
  }
  let fatalCount = 0;
  for (const report of validateWithPeppolArtifacts(files)) {
    const fatals = report.failures.filter((f) => f.flag === 'fatal');
    fatalCount += fatals.length;
    console.log(`${report.file}: ${fatals.length === 0 ? 'valid' : `${fatals.length} fatal`}`);
    for (const f of report.failures) console.log(`  ${f.id} (${f.flag}) ${f.text} [${f.location}]`);
  }
  return fatalCount === 0 ? 0 : 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
