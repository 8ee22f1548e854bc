// Entry of the audit event worker (event-pass.ts): a worker thread does not inherit the require
// hooks the CLI registered (scripts/bin/sdg.cjs), so it registers tsx itself.
'use strict';

require('tsx/cjs');
require('./event-worker.ts');
