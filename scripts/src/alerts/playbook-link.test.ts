import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root';
import { toAlertRule } from './alert-rules';
import { isPlaybookLink, PLAYBOOK_MAX_LENGTH, resolvePlaybook } from './playbook-link';
import { payloadFor } from './alert-payload';
import { Alert } from './alert';

interface Case {
  name: string;
  url: string | null;
  path: string | null;
  base: string | null;
  expected: string | null;
  isLink: boolean;
}

const file = JSON.parse(
  fs.readFileSync(
    path.join(PROJECT_ROOT, 'force-app/test/alerts/staticresources/PlaybookLinkVectors.json'),
    'utf8'
  )
) as { cases: Case[] };

describe('shared playbook link vectors (Apex PlaybookLinkTest runs the same file)', () => {
  it.each(file.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const resolved = resolvePlaybook(c.url, c.path, c.base);
    expect(resolved).toBe(c.expected);
    expect(isPlaybookLink(resolved)).toBe(c.isLink);
    expect((resolved ?? '').length).toBeLessThanOrEqual(PLAYBOOK_MAX_LENGTH);
  });
});

describe('a rule resolves its playbook as Apex PlaybookLink does', () => {
  const rule = (fields: Record<string, unknown>) =>
    toAlertRule(
      (f) => ({ DeveloperName: 'Chain_Broken', Severity__c: 'Critical', ...fields })[f],
      'rule'
    );

  it('falls through a whitespace-only URL to the path, without its leading slash', () => {
    expect(
      rule({ Playbook_URL__c: '   ', Playbook_Path__c: '/docs/alerts.md#playbook-chain-broken' })
        .playbookUrl
    ).toBe('docs/alerts.md#playbook-chain-broken');
  });
});

describe('a relative playbook is never sent as a link', () => {
  const alert: Alert = {
    rule: 'Chain_Broken',
    ruleLabel: 'Audit chain broken',
    severity: 'critical',
    action: 'trigger',
    summary: 'The chain is broken.',
    dedupKey: 'sdg:Chain_Broken',
    org: '00D5g0000000001EAA',
    objectType: null,
    recordIds: [],
    reasonCodes: [],
    count: 1,
    firstSeen: '2026-11-20T09:42:00.000Z',
    lastSeen: '2026-11-20T09:42:00.000Z',
    playbookUrl: 'docs/alerts.md#playbook-chain-broken',
    recordUrl: null
  };

  it.each(['slack', 'teams', 'pagerduty', 'servicenow'] as const)('%s', (channel) => {
    const body = JSON.stringify(payloadFor(channel, alert, { routingKey: 'k' }));
    expect(body).toContain('docs/alerts.md#playbook-chain-broken');
    expect(body).not.toMatch(/"(url|href)":"docs\//);
  });
});
