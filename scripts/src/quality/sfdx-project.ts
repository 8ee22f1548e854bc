import fs from 'node:fs';
import path from 'node:path';
import { QualityToolError } from './finding';

interface PackageDirectory {
  path: string;
  default?: boolean;
}

/** The parts of `sfdx-project.json` the quality checks rely on. */
export interface SfdxProject {
  root: string;
  packageDirectories: string[];
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
  for (const directory of directories) {
    if (!fs.existsSync(path.join(root, directory))) {
      throw new QualityToolError(
        `${file} names package directory "${directory}", which does not exist.`
      );
    }
  }
  return {
    root,
    packageDirectories: directories.map((dir) => path.join(root, dir)),
    sourceApiVersion: project.sourceApiVersion ?? ''
  };
}
