#!/usr/bin/env node
// `sdg` entry point (package.json "bin"): runs the TypeScript CLI through tsx, so no build step is
// needed after `npm ci`. npm puts node_modules/.bin (with the pinned Node 22) first on PATH.
'use strict';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(
    `sdg needs Node.js 22 or later (this is ${process.versions.node}). Run it as \`npx sdg\` or \`npm run sdg --\` inside the project.`
  );
  process.exit(2);
}
require('tsx/cjs');
require('../src/cli.ts');
