import fs from 'node:fs';
import { parse } from 'yaml';

/** One step of a GitHub Actions job, as far as the checks need it. */
export interface WorkflowStep {
  name?: string;
  if?: string;
  run?: string;
  uses?: string;
}

/** A command line of a step: the program (`sf`, `sdg`), its words and flags, and where it is. */
export interface CommandLine {
  program: string;
  /** Words before the first flag, e.g. ['org', 'login', 'jwt']. */
  words: string[];
  /** Flags as written: `--target-org` → 'target-org', `-o` → 'o'. */
  flags: string[];
  step: string;
  text: string;
}

/** The steps of one job of a workflow file. */
export function jobSteps(workflowFile: string, job: string): WorkflowStep[] {
  const workflow = parse(fs.readFileSync(workflowFile, 'utf8')) as {
    jobs?: Record<string, { steps?: WorkflowStep[] }>;
  };
  const steps = workflow.jobs?.[job]?.steps;
  if (!steps) throw new Error(`${workflowFile} has no job "${job}" with steps.`);
  return steps;
}

const TOKEN = /"(?:[^"\\]|\\.)*"|'[^']*'|[^\s]+/g;

/**
 * Every call of `program` in a shell script: continuation lines joined, comments dropped, and a
 * command ending at a pipe, `&&`, `||`, `;`, `>` or the end of a `$(…)`.
 */
export function commandLines(script: string, program: string, step: string): CommandLine[] {
  const joined = script
    .replace(/\\\r?\n\s*/g, ' ')
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .join('\n');
  const found: CommandLine[] = [];
  const start = new RegExp(
    `(?:^|[\\s;&|(])(?:npx\\s+)?(?:[\\w./-]*/)?${program}\\s+([^\\n;&|()>]*)`,
    'g'
  );
  for (const m of joined.matchAll(start)) {
    const tokens = (m[1] ?? '').match(TOKEN) ?? [];
    const words: string[] = [];
    for (const token of tokens) {
      if (token.startsWith('-')) break;
      if (!/^[a-z][\w-]*$/.test(token)) break;
      words.push(token);
    }
    const flags = tokens
      .filter((t) => /^--?[a-zA-Z]/.test(t))
      .map((t) => t.replace(/^--?/, '').split('=')[0]!);
    found.push({ program, words, flags, step, text: `${program} ${m[1]!.trim()}` });
  }
  return found;
}

/** What the sf CLI knows of one command (`sf commands --json`). */
export interface SfCommandInfo {
  id: string;
  aliases?: string[];
  flags: Record<string, { char?: string; aliases?: string[] }>;
}

/** The command a line calls: the longest run of its words that is a command id or an alias. */
export function resolveCommand(line: CommandLine, commands: SfCommandInfo[]): SfCommandInfo | null {
  for (let n = line.words.length; n > 0; n--) {
    const id = line.words.slice(0, n).join(':');
    const found = commands.find((c) => c.id === id || (c.aliases ?? []).includes(id));
    if (found) return found;
  }
  return null;
}

/** Flags of a line the command does not take (by name, one-letter char or alias). */
export function unknownFlags(line: CommandLine, command: SfCommandInfo): string[] {
  const known = new Set<string>();
  for (const [name, flag] of Object.entries(command.flags)) {
    known.add(name);
    if (flag.char) known.add(flag.char);
    for (const alias of flag.aliases ?? []) known.add(alias);
  }
  return line.flags.filter((flag) => !known.has(flag));
}
