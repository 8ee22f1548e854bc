import path from 'node:path';
import { checkApexStatic } from './apex-static';
import { checkApexSemantics } from './apex-semantics';
import { Finding, formatFinding, QualityToolError, sortFindings } from './finding';
import { buildMetadata } from './metadata-build';
import { checkMetadata } from './metadata-preflight';
import { checkReferences } from './references/reference-check';
import { checkedDirectories, readSfdxProject } from './sfdx-project';

/** Output sink, so tests can capture what a check prints. */
export interface Output {
  log(line: string): void;
  error(line: string): void;
}

type Check = (root: string, out: Output) => Promise<Finding[]>;

const CHECKS: Record<string, { title: string; run: Check }> = {
  apex: {
    title: 'Apex semantics (apex-ls)',
    run: (root) => Promise.resolve(checkApexSemantics(root))
  },
  pmd: {
    title: 'Apex static analysis (PMD via Code Analyzer)',
    run: (root) =>
      checkApexStatic(
        checkedDirectories(readSfdxProject(root)),
        path.join(root, 'code-analyzer.yml')
      )
  },
  metadata: {
    title: 'Metadata schema, references and text values',
    run: (root) => Promise.resolve(checkMetadata(checkedDirectories(readSfdxProject(root))))
  },
  references: {
    title: 'Metadata references',
    run: (root) => Promise.resolve(checkReferences(checkedDirectories(readSfdxProject(root))))
  },
  build: {
    title: 'Metadata build (source-deploy-retrieve)',
    // Only what ships: the unpackaged test source is deployed by the on-org CI job on its own.
    run: async (root, out) => {
      const result = await buildMetadata(
        readSfdxProject(root).packageDirectories,
        path.join(root, 'dist')
      );
      if (result.zipPath) {
        out.log(
          `Wrote ${path.relative(root, result.zipPath)} with ${result.components.length} components.`
        );
      }
      return result.findings;
    }
  }
};

/** Runs one named check over the project at `root`; returns the process exit code. */
export async function runQualityCheck(
  name: string | undefined,
  root: string,
  out: Output = console
): Promise<number> {
  const check = name ? CHECKS[name] : undefined;
  if (!check) {
    out.error(`Usage: run.ts <${Object.keys(CHECKS).join('|')}>`);
    return 2;
  }
  try {
    const findings = sortFindings(await check.run(root, out));
    findings.forEach((finding) => out.error(formatFinding(finding)));
    if (findings.length > 0) {
      out.error(`✖ ${check.title}: ${findings.length} finding(s).`);
      return 1;
    }
    out.log(`✔ ${check.title}: no findings.`);
    return 0;
  } catch (error) {
    if (error instanceof QualityToolError) {
      out.error(`✖ ${check.title} could not run: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

/* istanbul ignore next -- process entry point */
if (require.main === module) {
  void runQualityCheck(process.argv[2], process.cwd()).then((code) => {
    process.exitCode = code;
  });
}
