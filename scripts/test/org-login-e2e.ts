/**
 * Runs `sdg` against the fake org through the sf CLI's real auth store: logs in as
 * `sf org login access-token --alias fake` would, then runs each command of the JSON list of
 * argv lists given as the first argument, printing one JSON line per command
 * ({argv, code, out, err}) and finally the requests the fake org saw. Run it in a child process
 * with HOME set to a temporary folder: in-process, Jest's VM realms break the HTTP stack of
 * @salesforce/core (undici's abort listeners need the main realm's Symbol.dispose).
 */
import { runCli } from '../src/cli/program';
import { loadPackagePolicy } from '../src/policy/package-policy';
import { PROJECT_ROOT } from '../src/project-root';
import { FakeSalesforce, loginToFake } from './fake-salesforce';

async function main(): Promise<void> {
  const commands = JSON.parse(process.argv[2] ?? '[]') as string[][];
  const fake = await new FakeSalesforce({
    policy: loadPackagePolicy(PROJECT_ROOT),
    isDevHub: process.env.FAKE_DEV_HUB === 'true'
  }).start();
  await loginToFake(fake, 'fake');
  for (const argv of commands) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      argv.map((a) => a.replace('$FAKE_URL', fake.url)),
      { out: (l) => out.push(l), err: (l) => err.push(l) }
    );
    process.stdout.write(`${JSON.stringify({ argv, code, out, err })}\n`);
  }
  process.stdout.write(`${JSON.stringify({ requests: fake.requests })}\n`);
  await fake.stop();
}

void main();
