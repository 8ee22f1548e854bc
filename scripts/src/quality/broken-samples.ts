import path from 'node:path';

import { PROJECT_ROOT } from '../project-root';

export { PROJECT_ROOT };
/** The SFDX project of deliberately broken samples that every check must report. */
export const BROKEN_ROOT = path.join(PROJECT_ROOT, 'samples', 'broken');
/** The broken samples' package directory. */
export const BROKEN_PACKAGE = path.join(BROKEN_ROOT, 'force-app', 'main', 'default');

/** Path of one broken sample, relative to its package directory's `main/default`. */
export function brokenSample(relativePath: string): string {
  return path.join(BROKEN_PACKAGE, relativePath);
}
