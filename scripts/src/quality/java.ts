import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { QualityToolError } from './finding';

/**
 * The Java that runs apex-ls: `$JAVA_HOME/bin/java` when set, else `java` on PATH.
 * apex-ls 6 needs Java 11+; we require 17 because that is what CI and PMD 7 are proven on.
 */
export function findJava(env: NodeJS.ProcessEnv = process.env): string {
  const candidate = env.JAVA_HOME ? path.join(env.JAVA_HOME, 'bin', 'java') : 'java';
  const probe = spawnSync(candidate, ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new QualityToolError(
      `Java was not found (tried "${candidate}"). The Apex checks need Java 17 or later: ` +
        'install a JDK (e.g. `apt-get install openjdk-17-jre-headless`) or set JAVA_HOME.'
    );
  }
  const match = /version "(\d+)/.exec(probe.stderr + probe.stdout);
  const major = match ? Number(match[1]) : 0;
  if (major < 17) {
    throw new QualityToolError(
      `Java ${major || 'of unknown version'} found at "${candidate}"; the Apex checks need Java 17 or later.`
    );
  }
  return candidate;
}

/** The jar folder shipped in `@salesforce/code-analyzer-pmd-engine`: apex-ls, PMD and their dependencies. */
export function analyzerJarDirectory(): string {
  const engineRoot = path.dirname(
    require.resolve('@salesforce/code-analyzer-pmd-engine/package.json')
  );
  const jars = path.join(engineRoot, 'dist', 'java-lib');
  if (!fs.existsSync(jars)) {
    throw new QualityToolError(`${jars} is missing: reinstall dependencies with \`npm ci\`.`);
  }
  return jars;
}
