import { runCli } from './cli/program';

/* istanbul ignore next -- process entry point; runCli is tested */
void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
