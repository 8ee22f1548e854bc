// The audit event worker through tsx (event-pass.ts): what a worker runs when its bundle cannot be
// built or written (event-worker-script.ts). A worker thread does not inherit the require hooks
// the CLI registered (scripts/bin/sdg.cjs), so it registers tsx itself.
'use strict';

require('tsx/cjs');
require('./event-worker.ts');
