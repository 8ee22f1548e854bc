/**
 * The `sf sdg …` plugin reads its commands from the `sdg` program itself, so both front ends take
 * the same flags and run the same code: this module turns a commander command into a plain spec
 * (flags, arguments, texts) the oclif classes and the messages files are built from, and turns
 * parsed oclif flags back into the `sdg` argument list.
 */
import type { Command, Option } from 'commander';
import { buildProgram } from '../cli/program';

/** One flag of a command, as oclif declares it. */
export interface FlagSpec {
  /** The `sdg` option name. */
  name: string;
  /** The sf name, where the sf convention differs (`--dev-hub` is `--target-dev-hub` in sf). */
  sfName: string;
  summary: string;
  kind: 'boolean' | 'string';
  multiple: boolean;
  required: boolean;
  /** `--target-org`: an alias or username from the sf CLI's logins. */
  org: boolean;
}

/** One positional argument. */
export interface ArgSpec {
  name: string;
  description: string;
  required: boolean;
  variadic: boolean;
}

/** A command of the `sdg` program: its path (`['recall', 'plan']`), texts, flags and arguments. */
export interface CommandSpec {
  path: string[];
  /** The oclif id: `sdg:recall:plan`. */
  id: string;
  summary: string;
  description: string;
  flags: FlagSpec[];
  args: ArgSpec[];
}

/** The `sdg` commands the plugin ships. `sample` stays with `sdg` (npm start). */
export const PLUGIN_COMMANDS: readonly string[][] = [
  ['deploy'],
  ['setup'],
  ['seed'],
  ['audit'],
  ['verify-chain'],
  ['scan'],
  ['validate-payload'],
  ['govern'],
  ['erase'],
  ['recall', 'plan'],
  ['recall', 'apply'],
  ['recall', 'undo'],
  ['alerts', 'test'],
  ['alerts', 'replay'],
  ['monitor']
];

/** The oclif id of an `sdg` command path. */
export const commandId = (path: readonly string[]): string => ['sdg', ...path].join(':');

/** The messages bundle of a command: `messages/sdg.recall.plan.md`. */
export const messagesBundle = (path: readonly string[]): string => ['sdg', ...path].join('.');

/** The first sentence of a description: the one-line summary `--help` lists. */
export function firstSentence(text: string): string {
  const match = /^(.+?[.!?])(\s|$)/s.exec(text);
  return (match ? match[1]! : text).trim();
}

/** One-line summaries where the description's first sentence is too long for a list. */
const SUMMARIES: Record<string, string> = {
  'sdg:audit':
    'Audit an org (--target-org) or an export (--from) for synthetic-data governance: provenance, drift, undisclosed AI, untrusted models, quarantine backlog, audit chain and more.',
  'sdg:deploy':
    'Deploy the package to an org with its Apex tests, insert the default policy, assign permission sets, smoke-check the triggers.',
  'sdg:erase':
    'Erase the personal data Synthetic Data Guard keeps beside one record (GDPR Art. 17): audit notes, recall backups, detector evidence.',
  'sdg:verify-chain':
    'Verify an export of Synthetic_Audit_Event__c (CSV or JSON) offline: sequence, hash links, recomputed hashes, checkpoint signatures.'
};

const silentIo = { out: () => {}, err: () => {} };

function findCommand(path: readonly string[]): Command {
  let command: Command = buildProgram(silentIo, { code: 0 });
  for (const name of path) {
    const next = command.commands.find((c) => c.name() === name);
    if (!next) throw new Error(`sdg has no command "${path.join(' ')}"`);
    command = next;
  }
  return command;
}

const SF_NAMES: Record<string, string> = { 'dev-hub': 'target-dev-hub' };

function flagOf(option: Option): FlagSpec {
  const name = option.long!.slice(2);
  const defaultValue = option.defaultValue as unknown;
  const shownDefault =
    typeof defaultValue === 'string' || typeof defaultValue === 'number'
      ? ` (default: ${defaultValue})`
      : '';
  return {
    name,
    sfName: SF_NAMES[name] ?? name,
    summary: `${option.description}${shownDefault}`,
    kind: option.required || option.optional ? 'string' : 'boolean',
    multiple: Array.isArray(defaultValue) || name === 'target-org' || name === 'from',
    required: option.mandatory,
    org: name === 'target-org'
  };
}

/** The spec of one `sdg` command (its `--json` is the sf envelope's, so it is left out). */
export function commandSpec(path: readonly string[]): CommandSpec {
  const command = findCommand(path);
  const text = command.description();
  const summary = SUMMARIES[commandId(path)] ?? firstSentence(text);
  const rest = text.startsWith(summary) ? text.slice(summary.length).trim() : text;
  const flags = command.options.filter((o) => o.long !== '--json').map(flagOf);
  // Only monitor takes several orgs and exports; elsewhere --target-org and --from are single.
  const several = path[0] === 'monitor';
  return {
    path: [...path],
    id: commandId(path),
    summary,
    description: rest || text,
    flags: flags.map((f) => ({
      ...f,
      multiple: f.multiple && (several || !['target-org', 'from'].includes(f.name))
    })),
    args: command.registeredArguments.map((a) => ({
      name: a.name(),
      description: a.description,
      required: a.required,
      variadic: a.variadic
    }))
  };
}

/** Parsed oclif flag values, by sf flag name. */
export type FlagValues = Record<string, string | string[] | boolean | undefined>;

/**
 * The `sdg` argument list for parsed flags and arguments: what `sf sdg audit --from x --json`
 * runs is exactly `sdg audit --from x --json`.
 */
export function sdgArgv(
  spec: CommandSpec,
  flags: FlagValues,
  args: readonly string[],
  json: boolean
): string[] {
  const argv = [...spec.path, ...args];
  for (const flag of spec.flags) {
    const value = flags[flag.sfName];
    if (value === undefined || value === false) continue;
    if (value === true) argv.push(`--${flag.name}`);
    else for (const v of Array.isArray(value) ? value : [value]) argv.push(`--${flag.name}`, v);
  }
  if (json) argv.push('--json');
  return argv;
}
