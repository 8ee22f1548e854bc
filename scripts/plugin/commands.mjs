// The `sf sdg …` plugin's entry point (package.json oclif.commands, explicit strategy). The command
// classes are TypeScript run through tsx, as scripts/bin/sdg.cjs runs `sdg`, so `sf plugins link`
// works from a clone with no build step. ESM because @salesforce/sf-plugins-core is ESM with
// top-level await in its dependencies, which require() cannot load.
import { createRequire } from 'node:module';
import * as sf from '@salesforce/sf-plugins-core';

const require = createRequire(import.meta.url);
require('tsx/cjs');
const { buildCommands } = require('./commands.ts');

export const COMMANDS = buildCommands(sf);
