import path from 'node:path';

/** Root of the project (the folder with sfdx-project.json and package.json). */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Where a capability's Apex test static resources live: the shared test vectors and fixtures
 * that the Apex and TypeScript tests both read.
 */
export function testStaticResources(capability: string): string {
  return path.join(PROJECT_ROOT, 'force-app', 'test', capability, 'staticresources');
}
