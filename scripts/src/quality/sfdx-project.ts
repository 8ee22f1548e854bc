import fs from 'node:fs';
import path from 'node:path';
import { QualityToolError } from './finding';

interface PackageDirectory {
  path: string;
  default?: boolean;
  unpackagedMetadata?: { path?: string };
}

/** The parts of `sfdx-project.json` the quality checks rely on. */
export interface SfdxProject {
  root: string;
  /** What ships: the package build and `sdg deploy` take these and nothing else. */
  packageDirectories: string[];
  /**
   * Test-only source named by `unpackagedMetadata` (deployed by the on-org CI job, never
   * packaged): checked with the package, never built into it.
   */
  unpackagedDirectories: string[];
  sourceApiVersion: string;
}

/** Reads `sfdx-project.json` in `root`; every package directory must exist. */
export function readSfdxProject(root: string): SfdxProject {
  const file = path.join(root, 'sfdx-project.json');
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new QualityToolError(
      `Cannot read ${file}: ${(error as Error).message}. Run the check from an SFDX project root.`
    );
  }
  const project = raw as { packageDirectories?: PackageDirectory[]; sourceApiVersion?: string };
  const directories = (project.packageDirectories ?? []).map((dir) => dir.path);
  if (directories.length === 0) {
    throw new QualityToolError(`${file} lists no packageDirectories.`);
  }
  const unpackaged = (project.packageDirectories ?? [])
    .map((dir) => dir.unpackagedMetadata?.path)
    .filter((dir): dir is string => typeof dir === 'string' && !directories.includes(dir));
  const named: [string, string][] = [
    ...directories.map((dir): [string, string] => ['package directory', dir]),
    ...unpackaged.map((dir): [string, string] => ['unpackagedMetadata directory', dir])
  ];
  for (const [kind, directory] of named) {
    if (!fs.existsSync(path.join(root, directory))) {
      throw new QualityToolError(`${file} names ${kind} "${directory}", which does not exist.`);
    }
  }
  return {
    root,
    packageDirectories: directories.map((dir) => path.join(root, dir)),
    unpackagedDirectories: [...new Set(unpackaged)].map((dir) => path.join(root, dir)),
    sourceApiVersion: project.sourceApiVersion ?? ''
  };
}

/** Every source directory the quality checks read: the package's and the test-only ones. */
export function checkedDirectories(project: SfdxProject): string[] {
  return [...project.packageDirectories, ...project.unpackagedDirectories];
}
