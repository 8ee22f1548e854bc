/** Where a command writes: stdout for results, stderr for diagnostics. Tests capture both. */
export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
}

/** The process's own streams. */
export const processIo: CommandIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`)
};
