import fs from 'node:fs';
import path from 'node:path';
import { exitOnUserError, UsageError } from '../cli/errors';
import type { CommandIo } from '../cli/io';
import { connectOrg, openOrg, OrgConnectError } from '../org/org-connection';
import { PERMISSION_SETS } from '../provenance-model/schema';
import { PROJECT_ROOT } from '../project-root';
import { runSeed } from '../seed/seed-command';
import { runDeploy } from './deploy-command';

/** Options of `sdg setup`. */
export interface SetupCommandOptions {
  devHub?: string;
  alias: string;
  days: string;
  count: string;
  json?: boolean;
}

/**
 * `sdg setup --dev-hub <alias> [--alias <name>] [--days N]`: from nothing to a demo org, like
 * CumulusCI's dev_org flow: a scratch org from config/project-scratch-def.json (through
 * @salesforce/core), then deploy with permission sets, then seed. Checks the Dev Hub before
 * anything else so a missing or wrong hub fails in seconds, not after a timeout.
 */
export async function runSetup(
  options: SetupCommandOptions,
  io: CommandIo,
  root = PROJECT_ROOT
): Promise<number> {
  return exitOnUserError(io, async () => {
    if (!options.devHub)
      throw new UsageError('Say which Dev Hub creates the scratch org: --dev-hub <alias>.');
    const days = Number(options.days);
    if (!Number.isInteger(days) || days < 1 || days > 30)
      throw new UsageError(
        `--days takes 1 to 30 (a scratch org's lifetime), got "${options.days}".`
      );
    const definition = path.join(root, 'config', 'project-scratch-def.json');
    const orgConfig = JSON.parse(fs.readFileSync(definition, 'utf8')) as Record<string, unknown>;
    const hub = await openOrg(options.devHub);
    let isHub: boolean;
    try {
      isHub = await hub.determineIfDevHubOrg(true);
    } catch (error) {
      throw new OrgConnectError(
        `Cannot reach the Dev Hub ${options.devHub} (${(error as Error).message}). Check the login with: sf org display --target-org ${options.devHub}`
      );
    }
    if (!isHub)
      throw new OrgConnectError(
        `${options.devHub} is not a Dev Hub. Enable Dev Hub in its Setup (Setup → Dev Hub), or pass the alias of your Dev Hub org.`
      );
    io.err(
      `Creating a ${days}-day scratch org "${options.alias}" from ${path.relative(root, definition)}…`
    );
    const { scratchOrgCreate, Duration } = await loadScratchApi();
    let username: string;
    try {
      const created = await scratchOrgCreate({
        hubOrg: hub,
        orgConfig,
        durationDays: days,
        alias: options.alias,
        setDefault: false,
        wait: Duration.minutes(15)
      });
      username = created.username ?? options.alias;
    } catch (error) {
      throw new OrgConnectError(
        `The Dev Hub ${options.devHub} could not create the scratch org: ${(error as Error).message}`
      );
    }
    io.err(`Scratch org ${username} ready. Deploying…`);
    const deployed = await runDeploy(
      {
        targetOrg: options.alias,
        testLevel: 'RunLocalTests',
        assign: [`${username}:${PERMISSION_SETS.reviewer}`],
        wait: '60',
        json: options.json
      },
      io,
      connectOrg,
      root
    );
    if (deployed !== 0) return deployed;
    return await runSeed(
      {
        targetOrg: options.alias,
        count: options.count,
        seed: '42',
        syntheticRatio: '0.4',
        json: options.json
      },
      io
    );
  });
}

/* istanbul ignore next -- loaded only when a Dev Hub answered; tested in the child-process run */
async function loadScratchApi() {
  const [{ scratchOrgCreate }, { Duration }] = await Promise.all([
    import('@salesforce/core'),
    import('@salesforce/kit')
  ]);
  return { scratchOrgCreate, Duration };
}
