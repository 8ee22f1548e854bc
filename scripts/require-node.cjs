#!/usr/bin/env node
// Plain CommonJS with no dependencies so it runs, and explains itself, on any Node version.
'use strict';

const REQUIRED_MAJOR = 22;
const major = Number(process.versions.node.split('.')[0]);

if (major < REQUIRED_MAJOR) {
  console.error(
    [
      `Synthetic Data Guard needs Node.js ${REQUIRED_MAJOR} or later; this is Node.js ${process.versions.node} (${process.execPath}).`,
      'The Salesforce toolchain (@salesforce/core, jsforce-node, source-deploy-retrieve) does not run on older versions.',
      'Fix: run the project through npm (`npm test`, `npm start`, `npm run <script>`), which uses the Node 22',
      'pinned in devDependencies (node_modules/.bin/node), after `npm ci`; or install Node 22+ yourself.'
    ].join('\n')
  );
  process.exit(1);
}
