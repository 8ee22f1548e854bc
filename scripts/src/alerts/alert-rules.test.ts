import fs from 'node:fs';
import path from 'node:path';
import type { AuditEvent } from '../audit-chain/canonical';
import { PROJECT_ROOT } from '../project-root';
import {
  AlertFolder,
  evaluateThresholds,
  RuleFileError,
  ThresholdMetrics,
  toAlertRule
} from './alert-rules';
import { wireSeverity } from './alert';

interface Vectors {
  rules: Record<string, unknown>[];
  cases: {
    name: string;
    events: Partial<AuditEvent>[];
    chainBrokenAt?: string;
    expect: unknown[];
  }[];
  thresholds: {
    name: string;
    metrics: ThresholdMetrics;
    open: string[];
    expect: { rule: string; dedupKey: string; action: string; value: number | null }[];
  }[];
}

const vectors = JSON.parse(
  fs.readFileSync(
    path.join(PROJECT_ROOT, 'force-app/test/alerts/staticresources/AlertRuleVectors.json'),
    'utf8'
  )
) as Vectors;
const rules = vectors.rules.map((r, i) => toAlertRule((f) => r[f], `vector rule ${i + 1}`));

const event = (e: Partial<AuditEvent>): AuditEvent =>
  ({ sequence: 0, previousHash: '', actingUser: '', hash: '', signature: '', ...e }) as AuditEvent;

describe('alert rule vectors (shared with Apex AlertRulesTest)', () => {
  it.each(vectors.cases.map((c) => [c.name, c] as const))('%s', (_name, vector) => {
    const folder = new AlertFolder(rules);
    for (const e of vector.events) folder.push(event(e));
    if (vector.chainBrokenAt) folder.chainBroken(vector.chainBrokenAt);
    // The org stores the picklist word (Synthetic_Alert__c.Severity__c): compare in its words.
    expect(folder.alerts.map((a) => ({ ...a, severity: wireSeverity(a.severity) }))).toEqual(
      vector.expect
    );
  });

  it.each(vectors.thresholds.map((c) => [c.name, c] as const))('%s', (_name, vector) => {
    const changes = evaluateThresholds(rules, vector.metrics, new Set(vector.open));
    expect(
      changes.map((c) => ({
        rule: c.rule.name,
        dedupKey: c.dedupKey,
        action: c.action,
        value: c.value
      }))
    ).toEqual(vector.expect);
  });
});

describe('toAlertRule refuses what the org would', () => {
  const base = { DeveloperName: 'R', Severity__c: 'error' };
  it.each([
    [
      { ...base, Severity__c: 'urgent' },
      "Severity__c must be one of critical, high, medium, low, info (or the org's critical, error"
    ],
    [{ ...base, Severity__c: undefined }, 'Severity__c is required'],
    [{ ...base, Kind__c: 'Threshold' }, 'Metric__c is required for a Threshold rule'],
    [
      { ...base, Kind__c: 'Threshold', Metric__c: 'Quarantine_Backlog' },
      'Threshold__c is required'
    ],
    [{ ...base, Metric__c: 'Volume' }, 'Metric__c must be one of Synthetic_Per_Source_Hour'],
    [{ ...base, Dedupe_Window_Minutes__c: -5 }, 'Dedupe_Window_Minutes__c must be a number'],
    [{ ...base, Min_Confidence__c: 101 }, 'Min_Confidence__c must be 0 to 100'],
    [{ ...base, Dedupe_By__c: 'User' }, 'Dedupe_By__c must be one of Rule, Object'],
    [{ ...base, DeveloperName: 'has space' }, 'DeveloperName must be a developer name'],
    [{ ...base, Channels__c: { a: 1 } }, 'Channels__c must be text']
  ])('%j', (fields, message) => {
    const read = () =>
      toAlertRule((f) => (fields as Record<string, unknown>)[f], 'rules.json: rule 1');
    expect(read).toThrow(RuleFileError);
    expect(read).toThrow(`rules.json: rule 1: ${message}`);
  });

  it('defaults an event rule to active, per object, no window', () => {
    expect(toAlertRule((f) => (base as Record<string, unknown>)[f], 'x')).toMatchObject({
      name: 'R',
      label: 'R',
      active: true,
      kind: 'Event',
      dedupeBy: 'Object',
      dedupeWindowMinutes: 0,
      channels: []
    });
  });
});
