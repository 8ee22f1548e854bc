/**
 * Writes messages/sdg.*.md, the texts of the `sf sdg …` commands (summary, description, examples,
 * one summary per flag), from the `sdg` program's own descriptions, so the two front ends never
 * drift; messages.test.ts fails when a file is out of date. Run: npx tsx scripts/src/plugin/messages.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root';
import { CommandSpec, commandSpec, messagesBundle, PLUGIN_COMMANDS } from './command-spec';

/** `--help` examples, as sf shows them (`<%= config.bin %>` is `sf`). */
export const EXAMPLES: Record<string, string[]> = {
  'sdg:deploy': [
    'Validate a deploy (tests run, nothing changes) in the org with alias prod:\n\n<%= config.bin %> <%= command.id %> --target-org prod --dry-run',
    'Deploy to your default org and print the report as JSON:\n\n<%= config.bin %> <%= command.id %> --json'
  ],
  'sdg:setup': [
    'Create a demo scratch org from the Dev Hub with alias hub and seed 500 records:\n\n<%= config.bin %> <%= command.id %> --target-dev-hub hub --alias sdg-demo'
  ],
  'sdg:seed': [
    'Write the built-in sample export (2,000 records, seed 42) to a folder:\n\n<%= config.bin %> <%= command.id %> --out reports/sample --force',
    'Seed 500 records into the org with alias demo:\n\n<%= config.bin %> <%= command.id %> --target-org demo --count 500'
  ],
  'sdg:audit': [
    'Audit the sample export and print the result in the sf JSON envelope:\n\n<%= config.bin %> <%= command.id %> --from reports/sample --json',
    'Audit your default org and fail on medium findings:\n\n<%= config.bin %> <%= command.id %> --fail-on medium',
    'Print the SOQL the audit reads with, to export the data yourself:\n\n<%= config.bin %> <%= command.id %> --queries'
  ],
  'sdg:verify-chain': [
    'Verify the audit chain of an export folder with the HMAC key it was signed with:\n\n<%= config.bin %> <%= command.id %> reports/sample --hmac-key-file reports/sample/hmac.key'
  ],
  'sdg:scan': [
    'Scan a folder of images and videos for AI markers and C2PA manifests:\n\n<%= config.bin %> <%= command.id %> uploads/ --json',
    'Scan the files the org with alias prod could not scan itself (too large, pending, failed) and write the verdicts back:\n\n<%= config.bin %> <%= command.id %> --target-org prod --since 2026-06-01'
  ],
  'sdg:validate-payload': [
    'What the ingestion endpoint would answer for a Lead payload:\n\n<%= config.bin %> <%= command.id %> lead.json --object Lead --headers headers.txt'
  ],
  'sdg:govern': [
    'Write the metadata to govern a custom object, with a minimal object definition, then deploy it:\n\n<%= config.bin %> <%= command.id %> --object Invoice__c --create-object --out governed/Invoice__c',
    'Govern Task (fields on Activity; no list view or report type):\n\n<%= config.bin %> <%= command.id %> --object Task --json'
  ],
  'sdg:erase': [
    'Erase what the package keeps about one Contact (an erasure request under GDPR Art. 17):\n\n<%= config.bin %> <%= command.id %> --target-org prod --record 003000000000001AAA'
  ],
  'sdg:recall:plan': [
    'Plan to quarantine everything one model generated in an export:\n\n<%= config.bin %> <%= command.id %> --from reports/sample --action quarantine --model gpt-4o --out recall.plan.json'
  ],
  'sdg:recall:apply': [
    'Apply a plan of 120 records (the count is in the plan, "total"):\n\n<%= config.bin %> <%= command.id %> recall.plan.json --confirm 120 --to reports/recalled'
  ],
  'sdg:recall:undo': [
    'Put back what a recall changed:\n\n<%= config.bin %> <%= command.id %> reports/recalled/recalls/<recallId> --to reports/restored'
  ],
  'sdg:alerts:test': [
    'Send a test alert to a Slack incoming webhook:\n\n<%= config.bin %> <%= command.id %> --channel slack --url https://hooks.slack.com/services/…'
  ],
  'sdg:alerts:replay': [
    'Which alerts the sample export would have raised:\n\n<%= config.bin %> <%= command.id %> --from reports/sample --now 2026-06-01T12:00:00Z'
  ],
  'sdg:monitor': [
    'Two orgs and an export side by side:\n\n<%= config.bin %> <%= command.id %> --target-org prod --target-org uat --from reports/sample'
  ]
};

/** The messages file of one command. */
export function messagesMarkdown(spec: CommandSpec): string {
  const sections: [string, string][] = [
    ['summary', spec.summary],
    ['description', spec.description],
    [
      'examples',
      (EXAMPLES[spec.id] ?? []).map((e) => `- ${e.replace(/\n\n/, '\n\n  ')}`).join('\n\n')
    ],
    ...spec.flags.map((f): [string, string] => [`flags.${f.sfName}.summary`, f.summary])
  ];
  return `${sections.map(([title, body]) => `# ${title}\n\n${body}\n`).join('\n')}`;
}

/** Where each command's messages file goes. */
export const messagesFile = (spec: CommandSpec): string =>
  path.join(PROJECT_ROOT, 'messages', `${messagesBundle(spec.path)}.md`);

/* istanbul ignore next -- writes the files; messages.test.ts checks them */
if (require.main === module) {
  for (const command of PLUGIN_COMMANDS) {
    const spec = commandSpec(command);
    fs.writeFileSync(messagesFile(spec), messagesMarkdown(spec));
  }
}
