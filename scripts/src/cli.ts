import { runCli } from './cli/program';

/* istanbul ignore next -- process entry point; runCli is tested */
// A reader that stops early (`sdg audit --queries | head`) closes the pipe: the output ends there,
// quietly, with the status a shell gives a program ended by SIGPIPE (128 + 13), never a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(141);
});

/* istanbul ignore next -- process entry point; runCli is tested */
void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
