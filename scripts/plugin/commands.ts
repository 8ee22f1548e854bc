/**
 * The `sf sdg …` commands: one thin oclif class per `sdg` command, built from the same commander
 * definitions, running the same code (`runCli`) and returning today's `--json` output as the sf
 * envelope's `result`. Texts come from messages/sdg.*.md, as in every sf plugin.
 */
import { Args, Flags, Interfaces } from '@oclif/core';
import type { AnyJson } from '@salesforce/ts-types';
import { ConfigAggregator, Messages, SfError } from '@salesforce/core';
import type * as SfPluginsCore from '@salesforce/sf-plugins-core';
import type { SfCommand } from '@salesforce/sf-plugins-core';
import { runCli } from '../src/cli/program';
import type { CommandIo } from '../src/cli/io';
import {
  CommandSpec,
  commandSpec,
  FlagSpec,
  FlagValues,
  messagesBundle,
  PLUGIN_COMMANDS,
  sdgArgv
} from '../src/plugin/command-spec';

Messages.importMessagesDirectory(__dirname);

/**
 * When a command needs an org and none is named, sf's config default (`sf config set target-org`,
 * `target-dev-hub`) applies, unless a flag listed here says the command works offline.
 */
const CONFIG_DEFAULTS: Record<string, { flag: string; config: string; unless: string[] }> = {
  'sdg:deploy': { flag: 'target-org', config: 'target-org', unless: [] },
  'sdg:seed': { flag: 'target-org', config: 'target-org', unless: ['out'] },
  'sdg:audit': { flag: 'target-org', config: 'target-org', unless: ['from', 'queries'] },
  'sdg:recall:plan': { flag: 'target-org', config: 'target-org', unless: ['from'] },
  'sdg:monitor': { flag: 'target-org', config: 'target-org', unless: ['from'] },
  'sdg:setup': { flag: 'target-dev-hub', config: 'target-dev-hub', unless: [] }
};

type Sf = typeof SfPluginsCore;
type AnyFlag = Interfaces.FlagInput[string];

// sf-plugins-core's Flags are oclif's plus the org ones; its types name @oclif/core/interfaces,
// which this project's node10 resolution cannot follow, so the one sf flag used is typed here.
type OrgApiVersionFlag = () => AnyFlag;

function oclifFlag(flag: FlagSpec, messages: Messages<string>): AnyFlag {
  const summary = messages.getMessage(`flags.${flag.sfName}.summary`);
  const char =
    flag.sfName === 'target-org' ? 'o' : flag.sfName === 'target-dev-hub' ? 'v' : undefined;
  const aliases = flag.sfName === flag.name ? undefined : [flag.name];
  if (flag.kind === 'boolean') return Flags.boolean({ summary, aliases });
  return flag.multiple
    ? Flags.string({ summary, char, aliases, required: flag.required, multiple: true })
    : Flags.string({ summary, char, aliases, required: flag.required });
}

/** Output of `sdg` caught while it runs: in --json mode it becomes the envelope's result. */
class CapturedIo implements CommandIo {
  readonly outLines: string[] = [];
  readonly errLines: string[] = [];
  out(line: string): void {
    this.outLines.push(line);
  }
  err(line: string): void {
    this.errLines.push(line);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function commandClass(sf: Sf, spec: CommandSpec): typeof SfCommand<unknown> {
  const orgApiVersion = (sf.Flags as unknown as { orgApiVersion: OrgApiVersionFlag }).orgApiVersion;
  const messages = Messages.loadMessages('synthetic-data-guard', messagesBundle(spec.path));
  const flags: Interfaces.FlagInput = {};
  for (const flag of spec.flags) flags[flag.sfName] = oclifFlag(flag, messages);
  const usesOrg = spec.flags.some((f) => f.org || f.sfName === 'target-dev-hub');
  if (usesOrg) flags['api-version'] = orgApiVersion();
  const args: Record<string, ReturnType<typeof Args.string>> = {};
  for (const arg of spec.args.filter((a) => !a.variadic))
    args[arg.name] = Args.string({ description: arg.description, required: arg.required });
  const variadic = spec.args.some((a) => a.variadic);

  const command = class extends sf.SfCommand<unknown> {
    public static override readonly summary = messages.getMessage('summary');
    public static override readonly description = messages.getMessage('description');
    public static override readonly examples = messages.getMessages('examples');
    public static override readonly flags = flags;
    public static override readonly args = args;
    public static override readonly strict = !variadic;

    public async run(): Promise<unknown> {
      const parsed = await this.parse();
      const values = parsed.flags as FlagValues & { 'api-version'?: string };
      const positional = variadic
        ? parsed.argv.map(String)
        : spec.args.map((a) => (parsed.args as Record<string, string | undefined>)[a.name]);
      await applyConfigDefault(spec.id, values);
      if (values['api-version']) {
        // @salesforce/core reads org-api-version from the environment when it opens the org.
        process.env.SF_ORG_API_VERSION = values['api-version'];
        void ConfigAggregator.clearInstance();
      }
      const json = this.jsonEnabled();
      const io: CommandIo = json
        ? new CapturedIo()
        : { out: (line) => this.log(line), err: (line) => this.logToStderr(line) };
      const argv = sdgArgv(
        spec,
        values,
        positional.filter((a): a is string => a !== undefined),
        json
      );
      const code = await runCli(argv, io);
      process.exitCode = code;
      if (!(io instanceof CapturedIo)) return undefined;
      const result = parseJson(io.outLines.join('\n'));
      if (code === 2 || code === 70) {
        const message =
          io.errLines.map((l) => l.replace(/^✖ /, '')).join('\n') || `sdg exited ${code}`;
        throw new SfError(
          message,
          code === 2 ? 'SdgUsageError' : 'SdgInternalError',
          [],
          code,
          undefined
        ).setData(result as AnyJson);
      }
      for (const line of io.errLines) this.warn(line);
      return result;
    }
  };
  // Errors name the command they came from (`context` in the JSON envelope).
  Object.defineProperty(command, 'name', { value: spec.id });
  return command;
}

async function applyConfigDefault(id: string, values: FlagValues): Promise<void> {
  const rule = CONFIG_DEFAULTS[id];
  if (!rule || values[rule.flag] !== undefined) return;
  if (rule.unless.some((flag) => values[flag] !== undefined && values[flag] !== false)) return;
  const config = await ConfigAggregator.create();
  const value = config.getPropertyValue<string>(rule.config);
  if (typeof value === 'string' && value)
    values[rule.flag] = id === 'sdg:monitor' ? [value] : value;
}

/**
 * The map oclif's explicit command discovery reads (package.json oclif.commands, through
 * commands.mjs). sf-plugins-core is ESM with top-level await below it, so commands.mjs imports it
 * and hands it in.
 */
export function buildCommands(sf: Sf): Record<string, typeof SfCommand<unknown>> {
  return Object.fromEntries(
    PLUGIN_COMMANDS.map((path) => {
      const spec = commandSpec(path);
      return [spec.id, commandClass(sf, spec)];
    })
  );
}
