import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root';

/**
 * npm checks the root package's engines on every `npx sdg`, with whatever Node runs npm; the
 * commands themselves run on the pinned Node 22 (devDependency `node`), and scripts/bin/sdg.cjs
 * and scripts/require-node.cjs stop with advice below it. So engines states what npm needs (the
 * README's "some Node ≥ 18 with npm"), and no supported Node gets an EBADENGINE warning per call.
 */
describe('package.json engines', () => {
  it('asks for the Node that runs npm, not the pinned runtime', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      engines: { node: string };
      devDependencies: Record<string, string>;
    };
    expect(pkg.engines.node).toBe('>=18');
    expect(pkg.devDependencies.node).toMatch(/^22\./);
    expect(fs.readFileSync(path.join(PROJECT_ROOT, 'scripts', 'bin', 'sdg.cjs'), 'utf8')).toContain(
      'major < 22'
    );
  });
});
