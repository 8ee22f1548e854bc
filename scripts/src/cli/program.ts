import { Command, CommanderError } from 'commander';
import { runVerifyChain } from '../audit-chain/verify-chain-command';
import { CommandIo, processIo } from './io';

/** Exit code for usage errors (unknown command or option, missing argument). */
export const EXIT_USAGE = 2;

/**
 * Builds the `sdg` program. Each action stores its exit code in `result.code`; commander's own
 * usage errors exit 2, like input errors.
 */
export function buildProgram(io: CommandIo, result: { code: number }): Command {
  const program = new Command('sdg')
    .description(
      'Synthetic Data Guard: deploy, seed, audit and verify synthetic-data governance for Salesforce.'
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError('(run sdg --help for usage)');

  program
    .command('verify-chain')
    .description(
      'Verify an export of Synthetic_Audit_Event__c (CSV or JSON) offline: sequence, hash links, recomputed hashes, checkpoint signatures. Exit 0 intact, 1 broken, 2 unreadable input.'
    )
    .argument('<export>', 'export file (.csv from the Bulk API or data export service, or .json)')
    .option('--cert <pem>', 'public certificate (PEM) to verify RSA-SHA256 checkpoints')
    .option(
      '--hmac-key-file <file>',
      'HMAC key (base64, as stored in the org) to verify HMAC-SHA256 checkpoints'
    )
    .option('--expect-head <hash>', 'a head hash recorded earlier: it must occur in the chain')
    .option('--json', 'print {intact, events, head, firstBreak: {sequence, kind}, …} as JSON')
    .action(
      async (
        file: string,
        options: { cert?: string; hmacKeyFile?: string; expectHead?: string; json?: boolean }
      ) => {
        result.code = await runVerifyChain(file, options, io);
      }
    );

  return program;
}

/** Runs `sdg` with the given arguments (without `node` and the script) and returns the exit code. */
export async function runCli(argv: string[], io: CommandIo = processIo): Promise<number> {
  const result = { code: 0 };
  const program = buildProgram(io, result);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return result.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version'
        ? 0
        : EXIT_USAGE;
    }
    io.err(
      `✖ Unexpected error: ${(error as Error).message}. Please report it with the command you ran.`
    );
    return 1;
  }
}
