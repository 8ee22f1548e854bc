/**
 * A local stand-in for a Salesforce org on 127.0.0.1: the REST, Tooling, Composite, Metadata
 * (REST deploy) and Bulk API 2.0 endpoints the `sdg` CLI calls, answering with the documented
 * response shapes, including error shapes (expired session, request limit, row locks, partial
 * failures). Governed-object writes run the TypeScript policy engine the way the package's
 * triggers would, so a test can check that "the triggers acted".
 */
import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';
import { ZipTreeContainer } from '@salesforce/source-deploy-retrieve';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { AuditEvent, eventHash, GENESIS_HASH } from '../src/audit-chain/canonical';
import { COLUMNS, toEvent } from '../src/audit-chain/export-reader';
import { CONTENT_FIELDS } from '../src/seed/export-layout';
import { provenanceHash } from '../src/enforcement/provenance-hash';
import { policyFor, PolicySet } from '../src/policy/package-policy';
import { decide, ProvenanceValues } from '../src/policy/provenance-policy';
import { TrustedSourceRegistry } from '../src/policy/trusted-source-registry';
import { SalesforceApi } from '../src/org/salesforce-api';
import { packageTriggers } from '../src/deploy/org-setup-steps';
import { PROJECT_ROOT } from '../src/project-root';
import {
  GOVERNED_OBJECTS,
  POLICY_TYPE,
  RECALL,
  RECALL_ITEM,
  TRUSTED_SOURCE_TYPE
} from '../src/provenance-model/schema';
import { fieldText } from '../src/field-text';
import { mergeReasons } from '../src/policy/reason-codes';
import { RECALL_API } from '../src/recall/recall-org';
import { SCAN_API as MEDIA_SCAN_API } from '../src/media/scan-org';
import { ERASURE_API } from '../src/erasure/erase-command';
import { AuditNote, digestsIn } from '../src/audit-chain/audit-notes';
import {
  matches,
  objectsOf,
  parseSelector,
  RecallSelector,
  SelectorOptions,
  soqlFor
} from '../src/recall/recall-selector';

const ADMIN_ID = '005000000000001AAA';
const REVIEWER_ID = '005000000000002AAA';

export type FakeRecord = Record<string, string | number | boolean | null>;

/** Faults a test can switch on. */
export interface FakeFaults {
  /** Every call answers 401 INVALID_SESSION_ID. */
  expiredSession?: boolean;
  /** This many calls (from now) answer 403 REQUEST_LIMIT_EXCEEDED before the org recovers. */
  requestLimitHits?: number;
  /** Records whose external id is listed fail with UNABLE_TO_LOCK_ROW this many times each. */
  lockedKeys?: Map<string, number>;
  /** The deploy fails with these component errors and this test failure. */
  deployFailure?: { component: string; problem: string } | null;
  /** This many requests (from now) have their connection dropped without an answer. */
  dropConnections?: number;
  /** ApexTrigger rows answer with Status 'Inactive'. */
  inactiveTriggers?: boolean;
  /** This many requests (from now) are carried out, then their connection drops unanswered. */
  dropAfterCommit?: number;
  /** The running user lacks "View Setup and Configuration": SetupAuditTrail is not visible. */
  noViewSetup?: boolean;
  /** Bulk API 2.0 ingest jobs stop (state Failed) after processing this many records. */
  failIngestAfter?: number;
  /** The running user lacks Submit_External_Scan: the media-scans API answers 403. */
  noExternalScanPermission?: boolean;
  /** The package predates the media-scans API: Apex REST answers 404 for its URL. */
  noMediaScanApi?: boolean;
  /** This many media-scans calls (from now) record the verdict, then lose their answer. */
  dropMediaScanAnswers?: number;
  /** VersionData downloads of these version Ids send half the bytes, then drop the connection. */
  brokenDownloads?: Set<string>;
  /** The running user lacks Administer_Synthetic_Policy: the erasures API answers 403. */
  noErasurePermission?: boolean;
}

export interface FakeOrgOptions {
  policy: PolicySet;
  apiVersion?: string;
  isDevHub?: boolean;
  /** When false, writes store values as sent (triggers not deployed or disabled). */
  triggersActive?: boolean;
  /** Page size of REST query results (Salesforce's default is 2000). */
  queryPageSize?: number;
  /** Page size of Bulk API 2.0 query results. */
  bulkPageSize?: number;
  /** A production org (not a sandbox, scratch or Developer Edition org). */
  production?: boolean;
  /** The subscriber appends each audit event this many ms after the write (default: at once). */
  auditDelayMs?: number;
}

/** Calls in the org's 24-hour API allocation (answered in `Sforce-Limit-Info`). */
export const FAKE_DAILY_API_LIMIT = 15000;

const DATETIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * A DateTime as the platform keeps and answers it: whole seconds, rendered by REST and Bulk API
 * as `2026-06-01T10:01:00.000+0000`. Other values pass through.
 */
export function platformDateTime<T>(value: T): T | string {
  if (typeof value !== 'string' || !DATETIME.test(value)) return value;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return value;
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}.000+0000`;
}

/** ISO 8601 UTC truncated to whole seconds, as Apex sees a DateTime once it is stored. */
function wholeSecondsIso(date = new Date()): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString();
}

/** A stored DateTime as Apex reads it (ISO 8601, whole seconds); null when blank. */
function apexDateTime(value: FakeRecord[string] | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const ms = Date.parse(String(value).replace(/\+0000$/, 'Z'));
  return Number.isNaN(ms) ? String(value) : wholeSecondsIso(new Date(ms));
}

const STANDARD_FIELDS = [
  'Id',
  'Name',
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
  'SystemModstamp',
  'OwnerId',
  'IsDeleted'
];

/** Fields of objects the fake answers for without stored rows to learn them from. */
const SYSTEM_FIELDS: Record<string, string[]> = {
  SetupAuditTrail: ['Action', 'Section', 'Display', 'DelegateUser', 'CreatedByContext'],
  PermissionSetAssignment: ['AssigneeId', 'PermissionSetId'],
  ContentVersion: [
    'Title',
    'PathOnClient',
    'FileExtension',
    'ContentSize',
    'Checksum',
    'ContentDocumentId',
    'IsLatest',
    'VersionData'
  ],
  PermissionSet: ['Label', 'IsOwnedByProfile'],
  User: ['Username', 'IsActive', 'Email', 'ProfileId'],
  ApexTrigger: ['Status', 'TableEnumOrId'],
  ScratchOrgInfo: ['Status', 'ScratchOrg', 'SignupUsername', 'LoginUrl', 'ErrorCode'],
  Organization: [
    'IsSandbox',
    'OrganizationType',
    'InstanceName',
    'NamespacePrefix',
    'TrialExpirationDate'
  ],
  Synthetic_Policy__mdt: ['DeveloperName', 'MasterLabel', 'QualifiedApiName', 'Label'],
  Trusted_AI_Source__mdt: ['DeveloperName', 'MasterLabel', 'QualifiedApiName', 'Label']
};

let packageFields: Map<string, Set<string>> | null = null;

/** Custom fields the package declares, per object (force-app/**\/objects/<Object>/fields). */
function declaredFields(object: string): Set<string> {
  if (!packageFields) {
    packageFields = new Map();
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.field-meta.xml') && path.basename(dir) === 'fields') {
          const owner = path.basename(path.dirname(dir));
          if (!packageFields!.has(owner)) packageFields!.set(owner, new Set());
          packageFields!.get(owner)!.add(entry.name.replace(/\.field-meta\.xml$/, ''));
        }
      }
    };
    walk(path.join(PROJECT_ROOT, 'force-app'));
  }
  return packageFields.get(object) ?? new Set();
}

const ID_PREFIX: Record<string, string> = {
  Account: '001',
  Contact: '003',
  Opportunity: '006',
  Case: '500',
  Lead: '00Q',
  Synthetic_Audit_Event__c: 'a01',
  Synthetic_Recall__c: 'a0R',
  Synthetic_Recall_Item__c: 'a0S',
  PermissionSetAssignment: '0Pa',
  ContentVersion: '068',
  ContentDocument: '069'
};

interface SoqlQuery {
  fields: string[];
  object: string;
  where: string | null;
  groupBy: string | null;
  orderBy: { field: string; descending: boolean } | null;
  limit: number | null;
}

function parseSoql(soql: string): SoqlQuery | null {
  const m =
    /^SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+?))?(?:\s+GROUP BY\s+(\w+))?(?:\s+ORDER BY\s+([\w.]+)(?:\s+(ASC|DESC))?)?(?:\s+LIMIT\s+(\d+))?$/is.exec(
      soql.trim()
    );
  if (!m) return null;
  return {
    fields: m[1]!.split(',').map((f) => f.trim()),
    object: m[2]!,
    where: m[3] ?? null,
    groupBy: m[4] ?? null,
    orderBy: m[5] ? { field: m[5], descending: /^desc$/i.test(m[6] ?? '') } : null,
    limit: m[7] ? Number(m[7]) : null
  };
}

type Value = string | boolean | null;

function literal(text: string): Value {
  const t = text.trim();
  if (/^null$/i.test(t)) return null;
  if (/^(true|false)$/i.test(t)) return t.toLowerCase() === 'true';
  return t.replace(/^'|'$/g, '').replace(/\\(.)/g, '$1');
}

/** SOQL compares text case-insensitively; dates and numbers as their text (ISO 8601 sorts). */
function compare(stored: FakeRecord[string] | undefined, value: Value): number | null {
  if (stored === null || stored === undefined || value === null) return null;
  const a = String(stored).toLowerCase();
  const b = String(value).toLowerCase();
  const numbers = typeof stored === 'number' && !Number.isNaN(Number(value));
  if (numbers) return Number(stored) - Number(value);
  const times = [Date.parse(String(stored)), Date.parse(String(value))];
  if (/^\d{4}-\d{2}-\d{2}/.test(b) && !times.some(Number.isNaN)) return times[0]! - times[1]!;
  return a < b ? -1 : a > b ? 1 : 0;
}

function likeTest(pattern: string): (text: string) => boolean {
  const source = pattern.replace(
    /\\([%_])|([.*+?^${}()|[\]\\])|%|_/g,
    (m, escaped: string, special: string) =>
      escaped ? `\\${escaped}` : special ? `\\${special}` : m === '%' ? '.*' : '.'
  );
  const regex = new RegExp(`^${source}$`, 'is');
  return (text) => regex.test(text);
}

const TOKEN = /\s*('(?:[^'\\]|\\.)*'|\(|\)|,|<=|>=|!=|<>|=|<|>|[\w.:-]+)/y;

/**
 * A WHERE clause: AND / OR with parentheses over comparisons (=, !=, <, <=, >, >=), IN (...),
 * NOT IN (...), LIKE (% and _); a date literal such as LAST_N_DAYS:7 is taken as always true.
 */
function matcher(where: string | null, used: string[] = []): ((r: FakeRecord) => boolean) | null {
  if (!where) return () => true;
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < where.length && (m = TOKEN.exec(where))) tokens.push(m[1]!);
  if (where.slice(TOKEN.lastIndex).trim()) return null;
  let at = 0;
  const peek = () => tokens[at]?.toUpperCase();
  type Test = (r: FakeRecord) => boolean;
  const list = (): Value[] => {
    if (tokens[at++] !== '(') throw new Error('( expected');
    const values: Value[] = [];
    while (tokens[at] !== ')') {
      if (at >= tokens.length) throw new Error(') expected');
      values.push(literal(tokens[at++]!));
      if (tokens[at] === ',') at++;
    }
    // SOQL refuses an empty list: `IN ()` is MALFORMED_QUERY ("unexpected token: ')'").
    if (!values.length) throw new Error("unexpected token: ')'");
    at++;
    return values;
  };
  const comparison = (): Test => {
    const field = tokens[at++]!;
    used.push(field);
    let op = peek();
    at++;
    if (op === 'NOT' && peek() === 'IN') {
      at++;
      op = 'NOT IN';
    }
    if (op === 'IN' || op === 'NOT IN') {
      const values = list();
      const inside = (r: FakeRecord) => values.some((v) => compare(r[field], v) === 0);
      return op === 'IN' ? inside : (r) => !inside(r);
    }
    const raw = tokens[at++]!;
    if (/^[A-Z_]+:\d+$/i.test(raw)) return () => true;
    const value = literal(raw);
    if (op === 'LIKE') {
      const test = likeTest(String(value));
      return (r) => r[field] !== null && r[field] !== undefined && test(String(r[field]));
    }
    return (r) => {
      if (op === '=' && value === null) return (r[field] ?? null) === null;
      if ((op === '!=' || op === '<>') && value === null) return (r[field] ?? null) !== null;
      if (typeof value === 'boolean') return ((r[field] ?? false) === value) === (op === '=');
      const c = compare(r[field], value);
      if (op === '!=' || op === '<>') return c !== 0;
      if (c === null) return false;
      return { '=': c === 0, '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0 }[op!] ?? false;
    };
  };
  const factor = (): Test => {
    if (tokens[at] !== '(') return comparison();
    at++;
    const inner = expression();
    at++;
    return inner;
  };
  const term = (): Test => {
    const parts = [factor()];
    while (peek() === 'AND') {
      at++;
      parts.push(factor());
    }
    return (r) => parts.every((t) => t(r));
  };
  const expression = (): Test => {
    const parts = [term()];
    while (peek() === 'OR') {
      at++;
      parts.push(term());
    }
    return (r) => parts.some((t) => t(r));
  };
  try {
    const test = expression();
    return at === tokens.length ? test : null;
  } catch {
    return null;
  }
}

/** A fake org: in-memory records plus an HTTP server. */
export class FakeSalesforce {
  readonly apiVersion: string;
  readonly records = new Map<string, Map<string, FakeRecord>>();
  readonly events: AuditEvent[] = [];
  readonly requests: { method: string; path: string }[] = [];
  readonly faults: FakeFaults = {};
  readonly deploys: {
    id: string;
    checkOnly: boolean;
    testLevel: string;
    /** package.xml's <fullName>: the server-side package the components would join. */
    packageName?: string | null;
    /** The filename of the entity_content part (jsforce sends none). */
    entityFilename?: string | null;
  }[] = [];
  setupAuditTrail: FakeRecord[] = [];
  /** Policy records the org lacks until the next deploy (an admin deleted them). */
  hiddenPolicies = new Set<string>();
  /** Objects deployed beside the package (`sdg govern` output): their fields and name field. */
  readonly definedObjects = new Map<
    string,
    {
      fields: Set<string>;
      nameField: string;
      masters: Record<string, string>;
      /** Lookups the parent's describe lists as cascade-delete (Task.WhatId to Account). */
      cascades: Record<string, string>;
    }
  >();
  /** Package installs: Status answered for each request id. */
  readonly installs = new Map<string, { key: string; status: string; errors: string[] }>();
  /** The status the next package install ends in. */
  installOutcome: { status: string; errors: string[] } = { status: 'SUCCESS', errors: [] };
  accessToken = '00D000000000001!fake.session';
  private server: http.Server | null = null;
  private counter = 0;
  /** The SOQL of every Bulk API 2.0 query job. */
  readonly bulkQueries: string[] = [];
  private bulkJobs = new Map<
    string,
    {
      kind: string;
      spec: Record<string, unknown>;
      data: string;
      results?: {
        ok: string[][];
        failed: string[][];
        unprocessed?: string[][];
        header: string[];
      };
      state?: string;
      errorMessage?: string;
    }
  >();

  constructor(readonly options: FakeOrgOptions) {
    this.apiVersion = options.apiVersion ?? '66.0';
    for (const object of [
      ...GOVERNED_OBJECTS,
      'User',
      'PermissionSet',
      'PermissionSetAssignment',
      RECALL.name,
      RECALL_ITEM.name,
      'Synthetic_Alert__c',
      'ContentVersion'
    ])
      this.records.set(object, new Map());
    this.insert(
      'User',
      { Username: 'admin@sdg.test', Name: 'Ada Admin', IsActive: true },
      '005000000000001AAA'
    );
    this.insert(
      'User',
      { Username: 'reviewer@sdg.test', Name: 'Rey Reviewer', IsActive: true },
      REVIEWER_ID
    );
    for (const name of [
      'Synthetic_Data_Admin',
      'Synthetic_Data_Reviewer',
      'Synthetic_Data_User',
      'Synthetic_Data_Integration',
      'Synthetic_Data_Bypass'
    ])
      this.insert('PermissionSet', { Name: name });
  }

  /** Base URL, e.g. http://127.0.0.1:41234 */
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          this.handle(req, Buffer.concat(chunks), res);
        } catch (error) {
          this.send(res, 500, [
            { errorCode: 'UNKNOWN_EXCEPTION', message: (error as Error).message }
          ]);
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  nextId(object: string): string {
    this.counter++;
    return `${ID_PREFIX[object] ?? 'a0X'}FAKE${String(this.counter).padStart(8, '0')}AAA`.slice(
      0,
      18
    );
  }

  insert(object: string, fields: FakeRecord, id = this.nextId(object)): string {
    if (!this.records.has(object)) this.records.set(object, new Map());
    this.records.get(object)!.set(id, { ...storedAsPlatform(fields), Id: id });
    return id;
  }

  /**
   * An object the org has beside the package (a custom object, Task with sdg govern's fields):
   * its fields (standard ones included), the one describe calls its name field, and an empty table.
   */
  defineObject(
    object: string,
    fields: string[],
    nameField = 'Name',
    /** Master-detail fields and the parent each names (deleted with it). */
    masters: Record<string, string> = {},
    /**
     * Lookups deleted with the parent they name, though the field's own describe says
     * cascadeDelete false (a polymorphic WhatId): only the parent's childRelationships say so.
     */
    cascades: Record<string, string> = {}
  ): void {
    this.definedObjects.set(object, {
      fields: new Set([
        'Id',
        'CreatedDate',
        'IsDeleted',
        ...fields,
        ...Object.keys(masters),
        ...Object.keys(cascades)
      ]),
      nameField,
      masters,
      cascades
    });
    if (!this.records.has(object)) this.records.set(object, new Map());
  }

  /**
   * `sobjects/<Object>/describe` childRelationships: one per field of a defined object that names
   * this one and is deleted with it (REST API Developer Guide, sObject Describe: childSObject,
   * field, cascadeDelete, relationshipName).
   */
  private childRelationships(object: string): Record<string, unknown>[] {
    const relations: Record<string, unknown>[] = [];
    for (const [child, defined] of this.definedObjects)
      for (const [field, parent] of Object.entries({ ...defined.masters, ...defined.cascades }))
        if (parent === object)
          relations.push({
            childSObject: child,
            field,
            cascadeDelete: true,
            relationshipName: `${child}s`
          });
    return relations;
  }

  /** `sobjects/<Object>/describe`: field names and the name field; null for an unknown object. */
  private describe(object: string): Record<string, unknown>[] | null {
    const defined = this.definedObjects.get(object);
    if (defined)
      return [...defined.fields].map((name) => ({
        name,
        nameField: name === defined.nameField,
        referenceTo: defined.masters[name] ? [defined.masters[name]] : [],
        cascadeDelete: Boolean(defined.masters[name])
      }));
    const table = this.table(object);
    if (!table) return null;
    const names = new Set([
      ...STANDARD_FIELDS,
      ...(SYSTEM_FIELDS[object] ?? []),
      ...((CONTENT_FIELDS as Record<string, string[]>)[object] ?? []),
      ...declaredFields(object),
      ...table.flatMap((r) => Object.keys(r))
    ]);
    return [...names].map((name) => ({ name, nameField: name === 'Name' }));
  }

  /** Rows of an object as the fake's SOQL sees them. */
  private table(object: string): FakeRecord[] | null {
    if (object === 'ScratchOrgInfo') return this.options.isDevHub ? [] : null;
    if (object === 'Organization')
      return [
        {
          Id: '00D000000000001AAA',
          Name: 'SDG Fake Org',
          IsSandbox: false,
          OrganizationType: 'Developer Edition',
          InstanceName: 'FAKE1',
          NamespacePrefix: null,
          TrialExpirationDate: null
        }
      ];
    if (object === POLICY_TYPE.name)
      return Object.entries(this.options.policy.policies)
        .filter(([object]) => !this.hiddenPolicies.has(object))
        .map(([object, p]) => ({
          DeveloperName: object,
          [POLICY_TYPE.fields.governedObject]: object,
          [POLICY_TYPE.fields.enforcementMode]: p.mode,
          [POLICY_TYPE.fields.requiredFields]: p.requiredFields.join(';') || null,
          [POLICY_TYPE.fields.reviewThreshold]: p.reviewThreshold,
          [POLICY_TYPE.fields.quarantineThreshold]: p.quarantineThreshold,
          [POLICY_TYPE.fields.maxSyntheticPerTransaction]: p.maxSyntheticPerTransaction,
          [POLICY_TYPE.fields.maxSyntheticPerSourcePerHour]: p.maxSyntheticPerSourcePerHour ?? null,
          [POLICY_TYPE.fields.allowSync]: p.allowSync,
          [POLICY_TYPE.fields.rejectedRetentionDays]: p.rejectedRetentionDays,
          [POLICY_TYPE.fields.provenanceOverwrite]: p.provenanceOverwrite ?? null,
          [POLICY_TYPE.fields.syntheticRetentionDays]: p.syntheticRetentionDays,
          [POLICY_TYPE.fields.retentionAction]: p.retentionAction ?? null,
          [POLICY_TYPE.fields.detectorMode]: p.detectorMode ?? null,
          [POLICY_TYPE.fields.automatedDecisions]: p.automatedDecisions ?? null
        }));
    if (object === TRUSTED_SOURCE_TYPE.name)
      return this.options.policy.trustedSources.map((s, i) => ({
        DeveloperName: `Source_${i}`,
        [TRUSTED_SOURCE_TYPE.fields.pattern]: s.pattern,
        [TRUSTED_SOURCE_TYPE.fields.matchType]: s.matchType,
        [TRUSTED_SOURCE_TYPE.fields.appliesTo]: s.appliesTo,
        [TRUSTED_SOURCE_TYPE.fields.trusted]: s.trusted,
        [TRUSTED_SOURCE_TYPE.fields.expiresOn]: s.expiresOn ?? null
      }));
    if (object === 'Synthetic_Audit_Event__c')
      return this.events.map((e) =>
        Object.fromEntries(
          Object.entries(COLUMNS).map(([key, column]) => [
            column,
            platformDateTime((e as unknown as FakeRecord)[key] ?? null)
          ])
        )
      );
    if (object === 'SetupAuditTrail') return this.setupAuditTrail;
    if (object === RECALL.name && this.onRecallPoll)
      for (const recall of [...this.records.get(RECALL.name)!.values()]) this.onRecallPoll(recall);
    if (object === 'ApexTrigger')
      return packageTriggers(PROJECT_ROOT).map((Name) => ({
        Name,
        Status: this.faults.inactiveTriggers ? 'Inactive' : 'Active'
      }));
    const rows = this.records.get(object);
    return rows ? [...rows.values()] : null;
  }

  /** Whether `object` has `field`: standard, declared by the package, or on a stored row. */
  private fieldExists(object: string, table: FakeRecord[], field: string): boolean {
    if (/^COUNT\((\w*)\)$/i.test(field) || field.includes('.')) return true;
    const defined = this.definedObjects.get(object);
    if (defined) return [...defined.fields].some((f) => f.toLowerCase() === field.toLowerCase());
    const known = (name: string) =>
      STANDARD_FIELDS.includes(name) ||
      (SYSTEM_FIELDS[object] ?? []).includes(name) ||
      (CONTENT_FIELDS as Record<string, string[]>)[object]?.includes(name) ||
      declaredFields(object).has(name) ||
      table.some((r) => name in r);
    return (
      known(field) ||
      [...declaredFields(object)].some((f) => f.toLowerCase() === field.toLowerCase())
    );
  }

  /** Runs the small SOQL subset the CLI uses; unknown shapes answer MALFORMED_QUERY. */
  soql(text: string, all = false): { status: number; body: unknown; rows?: FakeRecord[] } {
    const q = parseSoql(text);
    const used: string[] = [];
    const match = q && matcher(q.where, used);
    if (!q || !match)
      return {
        status: 400,
        body: [{ errorCode: 'MALFORMED_QUERY', message: `fake org cannot run: ${text}` }]
      };
    const notSupported = [
      {
        errorCode: 'INVALID_TYPE',
        message: `sObject type '${q.object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`
      }
    ];
    if (q.object === 'SetupAuditTrail' && this.faults.noViewSetup)
      return { status: 400, body: notSupported };
    const table = this.table(q.object);
    if (!table) return { status: 400, body: notSupported };
    const unknown = [...q.fields, ...used, ...(q.groupBy ? [q.groupBy] : [])].find(
      (f) => !this.fieldExists(q.object, table, f)
    );
    if (unknown)
      return {
        status: 400,
        body: [
          {
            errorCode: 'INVALID_FIELD',
            message: `\n${text}\n^\nERROR at Row:1:Column:1\nNo such column '${unknown}' on entity '${q.object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`
          }
        ]
      };
    let rows = table.filter(
      (r) => match(r) && (all || (r.IsArchived !== true && r.IsDeleted !== true))
    );
    if (q.fields.length === 1 && /^COUNT\(\)$/i.test(q.fields[0]!))
      return { status: 200, body: { totalSize: rows.length, done: true, records: [] } };
    if (q.groupBy) {
      const groups = new Map<string, number>();
      for (const r of rows)
        groups.set(String(r[q.groupBy] ?? ''), (groups.get(String(r[q.groupBy] ?? '')) ?? 0) + 1);
      const records = [...groups].map(([value, n]) => ({
        attributes: { type: 'AggregateResult' },
        [q.groupBy!]: value === '' ? null : value,
        expr0: n
      }));
      return { status: 200, body: { totalSize: records.length, done: true, records } };
    }
    if (q.orderBy) {
      const { field, descending } = q.orderBy;
      rows = [...rows].sort((a, b) => {
        const c = compare(a[field], (b[field] ?? null) as Value) ?? 0;
        return descending ? -c : c;
      });
    }
    if (q.limit !== null) rows = rows.slice(0, q.limit);
    const project = (r: FakeRecord) => {
      const out: Record<string, unknown> = { attributes: { type: q.object } };
      for (const f of q.fields) {
        const dot = f.indexOf('.');
        if (dot < 0) {
          out[f] = r[f] ?? null;
          continue;
        }
        const relationship = f.slice(0, dot);
        const value = r[f] ?? null;
        const parent = out[relationship] as Record<string, unknown> | null | undefined;
        // REST answers an empty lookup as `"Account": null`, not `{"Name": null}`.
        if (value === null && parent === undefined) out[relationship] = null;
        else if (value !== null)
          out[relationship] = {
            ...(parent ?? { attributes: { type: relationship } }),
            [f.slice(dot + 1)]: value
          };
        else if (parent) parent[f.slice(dot + 1)] = null;
      }
      return out;
    };
    return { status: 200, body: null, rows: rows.map((r) => project(r) as FakeRecord) };
  }

  private send(
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {}
  ): void {
    if (this.faults.dropAfterCommit && this.faults.dropAfterCommit > 0) {
      // The work is done; only the answer is lost.
      this.faults.dropAfterCommit--;
      res.socket?.destroy();
      return;
    }
    const isText = typeof body === 'string';
    res.writeHead(status, {
      'Content-Type': isText ? 'text/csv' : 'application/json',
      'Sforce-Limit-Info': `api-usage=${this.apiUsage}/${FAKE_DAILY_API_LIMIT}`,
      ...headers
    });
    res.end(isText ? body : JSON.stringify(body));
  }

  /** API calls counted against the 24-hour allocation so far. */
  apiUsage = 0;

  private pages = new Map<string, FakeRecord[]>();

  private queryPage(res: http.ServerResponse, rows: FakeRecord[], total: number): void {
    const size = this.options.queryPageSize ?? 2000;
    const page = rows.slice(0, size);
    const rest = rows.slice(size);
    let nextRecordsUrl: string | undefined;
    if (rest.length) {
      const locator = `01gFAKE${++this.counter}-${size}`;
      this.pages.set(locator, rest);
      nextRecordsUrl = `/services/data/v${this.apiVersion}/query/${locator}`;
    }
    this.send(res, 200, { totalSize: total, done: !rest.length, nextRecordsUrl, records: page });
  }

  private handle(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const path = url.pathname;
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: `${path}${url.search}` });
    if (this.faults.dropConnections && this.faults.dropConnections > 0) {
      this.faults.dropConnections--;
      req.socket.destroy();
      return;
    }
    if (req.headers.authorization !== `Bearer ${this.accessToken}` || this.faults.expiredSession)
      return this.send(res, 401, [
        { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }
      ]);
    this.apiUsage++;
    if (this.faults.requestLimitHits && this.faults.requestLimitHits > 0) {
      this.faults.requestLimitHits--;
      this.apiUsage = FAKE_DAILY_API_LIMIT + 1;
      return this.send(res, 403, [
        { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }
      ]);
    }
    if (path === '/services/oauth2/userinfo')
      return this.send(res, 200, {
        preferred_username: 'admin@sdg.test',
        organization_id: '00D000000000001AAA',
        user_id: '005000000000001AAA'
      });
    if (path === '/services/data')
      return this.send(res, 200, [
        { label: 'Winter', url: `/services/data/v${this.apiVersion}`, version: this.apiVersion }
      ]);
    if (path.startsWith(RECALL_API) && method === 'POST')
      return this.recallApi(path.slice(RECALL_API.length), body, res);
    if (path === MEDIA_SCAN_API && method === 'POST') return this.mediaScanApi(body, res);
    if (path === ERASURE_API && method === 'POST') return this.erasureApi(body, res);
    const m = /^\/services\/data\/v(\d+\.\d)(\/.*)$/.exec(path);
    if (!m)
      return this.send(res, 404, [
        { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }
      ]);
    const rest = m[2]!;
    const json = (): unknown => (body.length ? JSON.parse(body.toString('utf8')) : {});

    const versionData = /^\/sobjects\/ContentVersion\/(\w+)\/VersionData$/.exec(rest);
    if (versionData && method === 'GET') return this.versionData(versionData[1]!, res);
    const described = /^\/sobjects\/(\w+)\/describe$/.exec(rest);
    if (described && method === 'GET') {
      const fields = this.describe(described[1]!);
      return fields
        ? this.send(res, 200, {
            name: described[1],
            fields,
            childRelationships: this.childRelationships(described[1]!)
          })
        : this.send(res, 404, [
            { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }
          ]);
    }
    if (/^\/sobjects\/User\/\w+$/.test(rest))
      return this.send(res, 200, { Id: '005000000000001AAA', Username: 'admin@sdg.test' });
    if (rest === '/query' || rest === '/tooling/query' || rest === '/queryAll') {
      // query leaves archived activities out; queryAll returns them (and deleted rows).
      const result = this.soql(url.searchParams.get('q') ?? '', rest === '/queryAll');
      if (!result.rows) return this.send(res, result.status, result.body);
      return this.queryPage(res, result.rows, result.rows.length);
    }
    const more = /^\/query\/(.+)$/.exec(rest);
    if (more) {
      const rows = this.pages.get(more[1]!) ?? [];
      this.pages.delete(more[1]!);
      return this.queryPage(res, rows, rows.length);
    }
    const composite = /^\/composite\/sobjects\/(\w+)\/(\w+)$/.exec(rest);
    if (composite && method === 'PATCH') {
      const { records } = json() as { records: FakeRecord[] };
      const flat = records.map((r) => flattenRelationships(r));
      return this.send(
        res,
        200,
        this.upsert(composite[1]!, composite[2]!, flat).map((r) => r.rest)
      );
    }
    if (rest === '/composite/sobjects' && method === 'POST') {
      const { records } = json() as { records: FakeRecord[] };
      return this.send(
        res,
        200,
        records.map((r) => {
          const type = (r.attributes as unknown as { type: string }).type;
          const fields = Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'attributes'));
          const table = this.records.get(type)!;
          if (
            type === 'PermissionSetAssignment' &&
            [...table.values()].some(
              (a) =>
                a.AssigneeId === fields.AssigneeId && a.PermissionSetId === fields.PermissionSetId
            )
          )
            return {
              success: false,
              errors: [
                {
                  statusCode: 'DUPLICATE_VALUE',
                  message: 'Duplicate PermissionSetAssignment',
                  fields: []
                }
              ]
            };
          return { id: this.insert(type, fields), success: true, errors: [] };
        })
      );
    }
    if (rest === '/tooling/sobjects/PackageInstallRequest' && method === 'POST') {
      const spec = json() as { SubscriberPackageVersionKey: string };
      const id = `0HfFAKE${++this.counter}`;
      this.installs.set(id, { key: spec.SubscriberPackageVersionKey, ...this.installOutcome });
      return this.send(res, 201, { id, success: true, errors: [] });
    }
    const install = /^\/tooling\/sobjects\/PackageInstallRequest\/(\w+)$/.exec(rest);
    if (install) {
      const request = this.installs.get(install[1]!)!;
      return this.send(res, 200, {
        Id: install[1],
        Status: request.status,
        SubscriberPackageVersionKey: request.key,
        Errors: request.errors.length
          ? { errors: request.errors.map((message) => ({ message })) }
          : null
      });
    }
    if (rest === '/metadata/deployRequest' && method === 'POST') {
      void this.deploy(body, String(req.headers['content-type'] ?? ''), res).catch((error: Error) =>
        this.send(res, 500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: error.message }])
      );
      return;
    }
    const deployStatus = /^\/metadata\/deployRequest\/(\w+)$/.exec(rest);
    if (deployStatus) return this.deployStatus(deployStatus[1]!, res);
    if (!this.bulk(method, rest, url, body, res))
      this.send(res, 404, [
        { errorCode: 'NOT_FOUND', message: `fake org has no ${method} ${rest}` }
      ]);
  }

  /** File bytes by ContentVersion Id (the VersionData blob). */
  readonly fileBytes = new Map<string, Buffer>();

  /**
   * Uploads a file as the package's trigger leaves it: `Media_Scan_Verdict__c` pending (or the
   * verdict given, e.g. too-large as the scan job marks files over its limit), Checksum the MD5
   * of the bytes as the platform keeps it.
   */
  addFile(
    title: string,
    bytes: Buffer,
    verdict = 'too-large',
    createdDate = '2026-06-01T10:00:00.000+0000'
  ): string {
    const id = this.nextId('ContentVersion');
    this.fileBytes.set(id, bytes);
    this.insert(
      'ContentVersion',
      {
        Title: title,
        PathOnClient: title,
        FileExtension: path.extname(title).slice(1) || null,
        ContentSize: bytes.length,
        Checksum: createHash('md5').update(bytes).digest('hex'),
        ContentDocumentId: this.nextId('ContentDocument'),
        IsLatest: true,
        VersionData: `/services/data/v${this.apiVersion}/sobjects/ContentVersion/${id}/VersionData`,
        CreatedDate: createdDate,
        Media_Scan_Verdict__c: verdict,
        Media_Scan_Details__c: null,
        Media_Byte_Hash__c: null,
        Synthetic_Status__c: null,
        Synthetic_Reasons__c: null
      },
      id
    );
    return id;
  }

  /**
   * sObject Blob Get: the raw bytes (not JSON), sent in chunks as the platform streams them;
   * 404 NOT_FOUND for an unknown Id.
   */
  private versionData(id: string, res: http.ServerResponse): void {
    const bytes = this.fileBytes.get(id);
    if (!bytes)
      return this.send(res, 404, [
        { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }
      ]);
    res.writeHead(200, {
      'Content-Type': 'application/octetstream',
      'Sforce-Limit-Info': `api-usage=${this.apiUsage}/${FAKE_DAILY_API_LIMIT}`
    });
    if (this.faults.brokenDownloads?.has(id)) {
      this.faults.brokenDownloads.delete(id);
      res.write(bytes.subarray(0, bytes.length >> 1));
      setImmediate(() => res.socket?.destroy());
      return;
    }
    for (let at = 0; at < bytes.length; at += 64 * 1024)
      res.write(bytes.subarray(at, at + 64 * 1024));
    res.end();
  }

  /** Synthetic_Audit_Note__c rows: the free text events name by digest (tests add them). */
  notes: AuditNote[] = [];

  /**
   * Appends an event as the org's audit publisher would for a review with a reason: the payload
   * names the reason by digest, the text goes to `notes`.
   */
  appendWithNote(recordId: string, payload: string, note: AuditNote): void {
    this.notes.push({ ...note, recordId });
    this.appendEvent('Lead', recordId, 'ACCEPT', [], payload, 'Release');
  }

  /**
   * The package's erasures API (`SyntheticErasureResource` + `SyntheticErasureService`): 403
   * without Administer_Synthetic_Policy, 400 for a body without a record Id, 200 with what was
   * erased; notes of the record, and notes its events name by digest, are deleted and an
   * Erasure event appended (none when nothing was kept).
   */
  private erasureApi(body: Buffer, res: http.ServerResponse): void {
    const refuse = (status: number, code: string, message: string) =>
      this.send(res, status, { errors: [{ code, message }] });
    if (this.faults.noErasurePermission)
      return refuse(
        403,
        'MISSING_PERMISSION',
        'Erasing personal data kept by Synthetic Data Guard needs the Administer_Synthetic_Policy custom permission (Synthetic Data Admin permission set).'
      );
    let recordId: unknown;
    try {
      recordId = (JSON.parse(body.toString('utf8')) as { recordId?: unknown }).recordId;
    } catch {
      return refuse(400, 'MALFORMED_JSON', 'The body must be a JSON object.');
    }
    if (typeof recordId !== 'string' || !/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(recordId))
      return refuse(400, 'INVALID_RECORD_ID', `${String(recordId)} is not a record Id.`);
    const digests = new Set(
      this.events.filter((e) => e.recordId === recordId).flatMap((e) => digestsIn(e.payload))
    );
    const erased = this.notes.filter((n) => n.recordId === recordId || digests.has(n.digest));
    this.notes = this.notes.filter((n) => !erased.includes(n));
    const noteDigests = erased.map((n) => n.digest).sort();
    const result = {
      recordId,
      notesErased: erased.length,
      backupsCleared: 0,
      detectionsCleared: 0,
      noteDigests,
      complete: true,
      eventKey: null as string | null
    };
    if (erased.length) {
      const payload = JSON.stringify({
        backupsCleared: 0,
        complete: true,
        detectionsCleared: 0,
        noteDigests,
        notesErased: erased.length,
        recordId
      });
      this.appendEvent('', recordId, '', [], payload, 'Erasure');
      result.eventKey = this.events[this.events.length - 1]!.eventKey;
    }
    this.send(res, 200, result);
  }

  /** Verdicts the media-scans API recorded, in order (tests read the evidence). */
  readonly externalScans: { id: string; verdict: string; evidence: string }[] = [];

  /**
   * The package's media-scans API (`MediaScanResultResource` + `MediaScanResultService`): 403
   * without Submit_External_Scan, 400 malformed (anything but a JSON object), 404 unknown file,
   * 409 other bytes (MD5, or a SHA-256 the org computed) or a decided file, 200 recorded (a re-send of the same verdict for the same bytes answers applied false).
   */
  private mediaScanApi(body: Buffer, res: http.ServerResponse): void {
    if (this.faults.noMediaScanApi)
      return this.send(res, 404, [
        {
          errorCode: 'NOT_FOUND',
          message: 'Could not find a match for URL /synthetic/v1/media-scans'
        }
      ]);
    const refuse = (status: number, code: string, message: string, id?: unknown) =>
      this.send(res, status, { status, contentVersionId: id, errors: [{ code, message }] });
    if (this.faults.noExternalScanPermission)
      return refuse(
        403,
        'MISSING_PERMISSION',
        'The running user lacks the Submit_External_Scan custom permission.'
      );
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      parsed = null;
    }
    // As the Apex service: `null`, an array or a scalar is no submission.
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      return refuse(400, 'MALFORMED_JSON', 'The body must be a JSON object.');
    const scan = parsed as Record<string, unknown>;
    const id = fieldText(scan.contentVersionId);
    if (
      !/^[0-9a-f]{64}$/.test(fieldText(scan.sha256)) ||
      !/^[0-9a-f]{32}$/.test(fieldText(scan.md5))
    )
      return refuse(400, 'INVALID_FIELD', 'sha256 and md5 are lowercase hex digests.', id);
    const file = this.records.get('ContentVersion')!.get(id);
    if (!file)
      return refuse(
        404,
        'UNKNOWN_FILE',
        `No ContentVersion ${id} visible to the running user.`,
        id
      );
    if (file.Checksum !== scan.md5)
      return refuse(
        409,
        'DIGEST_MISMATCH',
        `The MD5 of the bytes scanned is not the Checksum of ContentVersion ${id}: download the version again.`,
        id
      );
    // The SHA-256 the in-org scan computed before it stopped is kept: the caller's must agree.
    if (file.Media_Byte_Hash__c && file.Media_Byte_Hash__c !== scan.sha256)
      return refuse(
        409,
        'DIGEST_MISMATCH',
        `The SHA-256 of the bytes scanned is not the one the org computed for ContentVersion ${id}: download the version again.`,
        id
      );
    const open = ['pending', 'too-large', 'not-scanned'].includes(
      String(file.Media_Scan_Verdict__c)
    );
    const same =
      file.Media_Scan_Verdict__c === scan.verdict && file.Media_Byte_Hash__c === scan.sha256;
    if (!open && !same)
      return refuse(
        409,
        'ALREADY_SCANNED',
        `ContentVersion ${id} already has the verdict ${fieldText(file.Media_Scan_Verdict__c)}; only pending, too-large or not-scanned files take an external verdict.`,
        id
      );
    if (open) this.recordExternalScan(id, file, scan);
    if (this.faults.dropMediaScanAnswers && this.faults.dropMediaScanAnswers > 0) {
      this.faults.dropMediaScanAnswers--;
      this.faults.dropAfterCommit = (this.faults.dropAfterCommit ?? 0) + 1;
    }
    this.send(res, 200, {
      status: 200,
      contentVersionId: id,
      verdict: file.Media_Scan_Verdict__c,
      applied: open,
      syntheticStatus: file.Synthetic_Status__c ?? null,
      reasons: file.Synthetic_Reasons__c ? String(file.Synthetic_Reasons__c).split(';') : [],
      errors: []
    });
  }

  // As MediaVerdictSaver.saveVerdicts: the scan's write, the file policy on its evidence, an audit
  // event whose evidence names the file, the verdict, the scanner and the digest.
  private recordExternalScan(id: string, file: FakeRecord, scan: Record<string, unknown>): void {
    const scanner = `${fieldText(scan.scannedBy)} ${fieldText(scan.scannerVersion)}`;
    const reasons = (Array.isArray(scan.reasons) ? scan.reasons : []).map(fieldText);
    const sourceType = scan.digitalSourceType ? ` (${fieldText(scan.digitalSourceType)})` : '';
    const evidence = `ContentVersion ${id}: ${fieldText(scan.verdict)}${sourceType}; scanned by ${scanner}, sha256 ${fieldText(scan.sha256)}`;
    file.Media_Scan_Verdict__c = fieldText(scan.verdict);
    file.Media_Byte_Hash__c = fieldText(scan.sha256);
    file.Media_Scan_Details__c =
      `scanned by ${scanner}; ${fieldText(scan.format)}; manifest ${fieldText(scan.manifest)}`.slice(
        0,
        255
      );
    const evidenced = reasons.some(
      (r) => r === 'MEDIA_AI_MARKER' || r === 'MEDIA_PROVENANCE_STRIPPED'
    );
    const mode = this.options.policy.policies.ContentVersion?.mode ?? 'Flag';
    const decision = !evidenced
      ? 'ACCEPT'
      : mode === 'Flag'
        ? 'FLAG'
        : mode === 'Off'
          ? 'ACCEPT'
          : 'QUARANTINE';
    if (decision !== 'ACCEPT') {
      file.Synthetic_Data__c = true;
      file.Synthetic_Status__c = decision === 'FLAG' ? 'Flagged' : 'Quarantined';
      file.Synthetic_Reasons__c = reasons.join(';');
    }
    this.externalScans.push({ id, verdict: fieldText(scan.verdict), evidence });
    this.audit('ContentVersion', id, decision, reasons, JSON.stringify({ evidence }));
  }

  /** Test hook: runs on every read of Synthetic_Recall__c (a CLI poll), e.g. to approve one. */
  onRecallPoll: ((recall: FakeRecord) => void) | null = null;
  /** Deleted records, by Id, as the recycle bin keeps them. */
  readonly recycleBin = new Map<string, { object: string; record: FakeRecord }>();

  /** The package's recall API (`SyntheticRecallResource`), as the requesting admin calls it. */
  private recallApi(route: string, body: Buffer, res: http.ServerResponse): void {
    const refuse = (message: string) =>
      this.send(res, 400, [{ errorCode: 'RECALL_REFUSED', message }]);
    const recalls = this.records.get(RECALL.name)!;
    const view = (recall: FakeRecord, status = 200) =>
      this.send(res, status, {
        id: recall.Id,
        name: recall.Name,
        action: recall[RECALL.fields.action],
        state: recall[RECALL.fields.state],
        plannedCount: recall[RECALL.fields.plannedCount],
        query: recall[RECALL.fields.query]
      });
    if (route === '' || route === '/') {
      const request = JSON.parse(body.toString('utf8') || '{}') as {
        action?: string;
        selector?: SelectorOptions;
      };
      if (!['Quarantine', 'Delete', 'Restore'].includes(request.action ?? ''))
        return refuse(
          `The recall action "${request.action}" is not Quarantine, Delete or Restore.`
        );
      let selector: RecallSelector;
      try {
        selector = parseSelector(request.selector ?? {});
      } catch (error) {
        return refuse(`The recall selector is not valid: ${(error as Error).message}.`);
      }
      const planned = objectsOf(selector).reduce(
        (n, object) => n + this.selected(selector, object).length,
        0
      );
      const id = this.insert(RECALL.name, {
        Name: `RC-${String(recalls.size + 1).padStart(6, '0')}`,
        [RECALL.fields.action]: request.action!,
        [RECALL.fields.state]: 'Requested',
        [RECALL.fields.selector]: JSON.stringify(request.selector),
        [RECALL.fields.query]: objectsOf(selector)
          .map((o) => soqlFor(selector, o))
          .join('\n'),
        [RECALL.fields.plannedCount]: planned,
        [RECALL.fields.requestedBy]: ADMIN_ID
      });
      return view(recalls.get(id)!, 201);
    }
    const m = /^\/(\w{15,18})\/(approve|cancel|undo)$/.exec(route);
    const recall = m ? recalls.get(m[1]!) : undefined;
    if (!m || !recall)
      return this.send(res, 404, [{ errorCode: 'NOT_FOUND', message: `No recall at ${route}` }]);
    const state = recall[RECALL.fields.state];
    if (m[2] === 'approve')
      return refuse('A recall needs a second person: the user who requested it cannot approve it.');
    if (m[2] === 'cancel') {
      if (state !== 'Requested') return refuse(`This recall is ${state}, not Requested.`);
      recall[RECALL.fields.state] = 'Cancelled';
      return view(recall);
    }
    if (state !== 'Applied' && state !== 'Partially Applied')
      return refuse(`Only an applied recall can be undone; this one is ${state}.`);
    const applied = this.itemsOf(recall.Id as string).filter((i) => i.Result__c === 'Applied');
    const undo = this.insert(RECALL.name, {
      Name: `RC-${String(recalls.size + 1).padStart(6, '0')}`,
      [RECALL.fields.action]: 'Undo',
      [RECALL.fields.state]: 'Requested',
      [RECALL.fields.undoes]: recall.Id ?? null,
      [RECALL.fields.plannedCount]: applied.length,
      [RECALL.fields.requestedBy]: ADMIN_ID
    });
    return view(recalls.get(undo)!, 201);
  }

  private selected(selector: RecallSelector, object: string): FakeRecord[] {
    return [...(this.records.get(object)?.values() ?? [])].filter((r) =>
      matches(selector, object, (f) => fieldText(r[f]))
    );
  }

  private itemsOf(recallId: string): FakeRecord[] {
    return [...this.records.get(RECALL_ITEM.name)!.values()].filter(
      (i) => i[RECALL_ITEM.fields.recall] === recallId
    );
  }

  /**
   * A second person approves a recall and its batch runs at once, as SyntheticRecallBatch would:
   * each record backed up in an item, changed, and its result recorded. Records listed in `fail`
   * fail (row lock), as in a partial failure.
   */
  runRecall(recallId: string, options: { fail?: Set<string> } = {}): void {
    const recall = this.records.get(RECALL.name)!.get(recallId)!;
    recall[RECALL.fields.state] = 'Running';
    recall[RECALL.fields.approvedBy] = REVIEWER_ID;
    const item = (
      object: string,
      record: FakeRecord,
      changed: string[],
      result: string,
      message: string | null
    ) =>
      this.insert(RECALL_ITEM.name, {
        [RECALL_ITEM.fields.recall]: recallId,
        [RECALL_ITEM.fields.itemKey]: `${recallId}:${String(record.Id)}`,
        [RECALL_ITEM.fields.objectType]: object,
        [RECALL_ITEM.fields.recordId]: record.Id ?? null,
        [RECALL_ITEM.fields.backup]: JSON.stringify(record),
        [RECALL_ITEM.fields.changedFields]: changed.join(';') || null,
        [RECALL_ITEM.fields.result]: result,
        [RECALL_ITEM.fields.message]: message
      });
    const locked = (record: FakeRecord) => options.fail?.has(String(record.Id));
    const LOCK = 'UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record';
    const action = String(recall[RECALL.fields.action]);
    if (action === 'Undo') {
      for (const done of this.itemsOf(String(recall[RECALL.fields.undoes]))) {
        if (done.Result__c !== 'Applied') continue;
        const object = String(done[RECALL_ITEM.fields.objectType]);
        const backup = JSON.parse(String(done[RECALL_ITEM.fields.backup])) as FakeRecord;
        if (locked(backup)) {
          item(object, backup, [], 'Failed', LOCK);
          continue;
        }
        this.recycleBin.delete(String(backup.Id));
        this.records.get(object)!.set(String(backup.Id), backup);
        item(
          object,
          backup,
          String(done[RECALL_ITEM.fields.changedFields] ?? '').split(';'),
          'Applied',
          null
        );
      }
    } else {
      const selector = parseSelector(
        JSON.parse(String(recall[RECALL.fields.selector])) as SelectorOptions
      );
      for (const object of objectsOf(selector))
        for (const record of this.selected(selector, object)) {
          if (locked(record)) item(object, record, [], 'Failed', LOCK);
          else if (action === 'Restore')
            item(object, record, [], 'Failed', 'cannot restore: no field history in the window');
          else if (action === 'Delete') {
            const children =
              object === 'Account'
                ? ['Contact', 'Opportunity', 'Case'].flatMap((child) =>
                    [...this.records.get(child)!.values()]
                      .filter((c) => c.AccountId === record.Id)
                      .map((c) => ({ child, c }))
                  )
                : [];
            item(object, record, [], 'Applied', null);
            this.remove(object, record);
            for (const { child, c } of children) {
              item(child, c, [], 'Applied', 'deleted with its parent');
              this.remove(child, c);
            }
          } else if (
            record.Synthetic_Status__c === 'Quarantined' &&
            String(record.Synthetic_Reasons__c ?? '')
              .split(';')
              .includes('RECALLED')
          )
            item(object, record, [], 'Skipped', 'already quarantined by a recall');
          else {
            item(
              object,
              { ...record },
              ['Synthetic_Status__c', 'Synthetic_Reasons__c'],
              'Applied',
              null
            );
            record.Synthetic_Status__c = 'Quarantined';
            record.Synthetic_Reasons__c = mergeReasons(
              record.Synthetic_Reasons__c as string | null,
              ['RECALLED']
            );
          }
        }
    }
    const results = this.itemsOf(recallId).map((i) => String(i[RECALL_ITEM.fields.result]));
    const count = (r: string) => results.filter((x) => x === r).length;
    Object.assign(recall, {
      [RECALL.fields.appliedCount]: count('Applied'),
      [RECALL.fields.failedCount]: count('Failed'),
      [RECALL.fields.skippedCount]: count('Skipped'),
      [RECALL.fields.state]:
        count('Failed') === 0 ? 'Applied' : count('Applied') > 0 ? 'Partially Applied' : 'Failed',
      [RECALL.fields.completedAt]: platformDateTime(new Date().toISOString())
    });
  }

  private remove(object: string, record: FakeRecord): void {
    this.records.get(object)!.delete(String(record.Id));
    this.recycleBin.set(String(record.Id), { object, record });
  }

  /**
   * Upsert by external id with partial success (allOrNone false), as the platform saves an API
   * batch: when some records fail, it rolls the attempt back and saves the rest again, running
   * the triggers again, up to three attempts (Apex Developer Guide, "Bulk DML Exception
   * Handling"). Audit events are published immediately, so the rolled-back attempt's stay.
   */
  upsert(object: string, externalIdField: string, records: FakeRecord[]): UpsertOutcome[] {
    const table = this.records.get(object);
    if (!table) throw new Error(`no table ${object}`);
    const results: UpsertOutcome[] = [];
    let pending = records.map((_, i) => i);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const before = new Map([...table].map(([id, r]) => [id, { ...r }]));
      const outcome = this.upsertOnce(
        object,
        externalIdField,
        pending.map((i) => records[i]!)
      );
      pending.forEach((i, j) => (results[i] = outcome[j]!));
      const failed = outcome.filter((r) => !r.ok).length;
      if (failed === 0 || failed === outcome.length) return results;
      table.clear();
      for (const [id, r] of before) table.set(id, r);
      pending = pending.filter((_, j) => outcome[j]!.ok);
    }
    for (const i of pending) {
      const key = String(records[i]![externalIdField] ?? '');
      const message =
        'Too many batch retries in the presence of Apex triggers and partial failures.';
      results[i] = {
        key,
        id: null,
        ok: false,
        created: false,
        error: `UNKNOWN_EXCEPTION:${message}: --`,
        rest: { success: false, errors: [{ statusCode: 'UNKNOWN_EXCEPTION', message, fields: [] }] }
      };
    }
    return results;
  }

  /** One save attempt: the policy runs as the triggers would. */
  private upsertOnce(
    object: string,
    externalIdField: string,
    records: FakeRecord[]
  ): UpsertOutcome[] {
    const table = this.records.get(object);
    if (!table) throw new Error(`no table ${object}`);
    const policy = policyFor(this.options.policy, object);
    const registry = new TrustedSourceRegistry(this.options.policy.trustedSources);
    let syntheticSeen = 0;
    return records.map((incoming) => {
      const key = String(incoming[externalIdField] ?? '');
      // Bulk API 2.0 writes sf__Error as `CODE:message:Field1,Field2 --`.
      const fail = (code: string, message: string, fields: string[] = []) => ({
        key,
        id: null,
        ok: false,
        created: false,
        error: `${code}:${message}:${fields.join(',')} --`,
        rest: { success: false, errors: [{ statusCode: code, message, fields }] }
      });
      const locks = this.faults.lockedKeys?.get(key) ?? 0;
      if (locks > 0) {
        this.faults.lockedKeys!.set(key, locks - 1);
        return fail(
          'UNABLE_TO_LOCK_ROW',
          'unable to obtain exclusive access to this record or 1 records'
        );
      }
      const fields: FakeRecord = {};
      for (const [name, value] of Object.entries(incoming)) {
        if (name === 'attributes') continue;
        const dot = name.indexOf('.');
        if (dot > 0 && (value === null || value === '')) continue;
        if (dot > 0) {
          const parentField =
            name.slice(0, dot) === 'Account'
              ? 'AccountId'
              : name.slice(0, dot) === 'Contact'
                ? 'ContactId'
                : `${name.slice(0, dot)}Id`;
          const parentObject = name.slice(0, dot);
          const parent = [...(this.records.get(parentObject)?.values() ?? [])].find(
            (p) => p[name.slice(dot + 1)] === value
          );
          if (!parent)
            return fail(
              'INVALID_FIELD',
              `Foreign key external ID: ${String(value)} not found for field ${name.slice(dot + 1)} in entity ${parentObject}`
            );
          fields[parentField] = parent.Id ?? null;
        } else fields[name] = value === '' ? null : value;
      }
      const existing = [...table.values()].find((r) => r[externalIdField] === key);
      // What the trigger sees: on update, fields not sent keep their stored values.
      const seen: FakeRecord = existing ? { ...existing, ...fields } : fields;
      if (object === 'Lead' && !seen.LastName)
        return fail('REQUIRED_FIELD_MISSING', 'Required fields are missing: [LastName]', [
          'LastName'
        ]);
      let audit = () => {};
      let id = existing?.Id as string | undefined;
      if (this.options.triggersActive !== false) {
        const generatedAt = seen.Generated_At__c;
        const values: ProvenanceValues = {
          Synthetic_Data__c: seen.Synthetic_Data__c === true || seen.Synthetic_Data__c === 'true',
          AI_Model__c: (seen.AI_Model__c as string) ?? null,
          Generated_At__c: apexDateTime(generatedAt),
          Generation_Method__c: (seen.Generation_Method__c as string) ?? null,
          Provenance_Source__c: (seen.Provenance_Source__c as string) ?? null,
          Synthetic_Confidence__c:
            seen.Synthetic_Confidence__c === null || seen.Synthetic_Confidence__c === undefined
              ? null
              : Number(seen.Synthetic_Confidence__c),
          Provenance_Hash__c: null,
          Synthetic_Status__c: null
        };
        const content = Object.fromEntries(
          Object.entries(fields).filter(([k]) => !k.includes('__c'))
        );
        values.Provenance_Hash__c = provenanceHash(content);
        const decision = decide({
          policy,
          record: values,
          context: {
            now: wholeSecondsIso(),
            canReview: false,
            syntheticSeenBefore: syntheticSeen
          },
          registry
        });
        if (decision.synthetic) syntheticSeen++;
        audit = () => this.audit(object, id, decision.decision, decision.reasons);
        if (decision.decision === 'REJECT') {
          this.audit(object, undefined, decision.decision, decision.reasons);
          return fail(
            'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            `Synthetic Data Guard rejected this record: ${decision.reasons.join(', ')}`
          );
        }
        Object.assign(fields, {
          Synthetic_Data__c: decision.synthetic,
          Synthetic_Status__c: decision.status,
          Synthetic_Reasons__c: decision.reasons.join(';') || null,
          Provenance_Hash__c: values.Provenance_Hash__c
        });
      }
      if (existing) {
        Object.assign(existing, storedAsPlatform(fields));
        audit();
        return {
          key,
          id: existing.Id as string,
          ok: true,
          created: false,
          error: null,
          rest: { id: existing.Id, success: true, errors: [], created: false }
        };
      }
      id = this.insert(object, { CreatedDate: wholeSecondsIso(), ...fields });
      audit();
      return {
        key,
        id,
        ok: true,
        created: true,
        error: null,
        rest: { id, success: true, errors: [], created: true }
      };
    });
  }

  /** Audit events published but not yet appended by the subscriber. */
  private pendingEvents: (() => void)[] = [];

  /** How many published audit events the subscriber has not appended yet. */
  get pendingAuditEvents(): number {
    return this.pendingEvents.length;
  }

  /**
   * The triggers publish a platform event; a subscriber appends it to the chain later, in its
   * own transaction. With `auditDelayMs` the fake appends after that delay, as the org would.
   */
  private audit(
    object: string,
    recordId: string | undefined,
    decision: string,
    reasons: string[],
    payload = '{}'
  ): void {
    const delay = this.options.auditDelayMs;
    if (delay === undefined) return this.appendEvent(object, recordId, decision, reasons, payload);
    this.pendingEvents.push(() => this.appendEvent(object, recordId, decision, reasons, payload));
    setTimeout(() => this.pendingEvents.shift()?.(), delay);
  }

  private appendEvent(
    object: string,
    recordId: string | undefined,
    decision: string,
    reasons: string[],
    payload = '{}',
    eventType?: string
  ): void {
    const previous = this.events[this.events.length - 1];
    const event: AuditEvent = {
      sequence: (previous?.sequence ?? 0) + 1,
      previousHash: previous?.hash ?? GENESIS_HASH,
      // Apex hashes the DateTime as it is stored (whole seconds), in the form a reader of the
      // stored row normalises it to: the chain verifies from what the org answers.
      occurredAt: toEvent(
        {
          [COLUMNS.sequence]: '1',
          [COLUMNS.occurredAt]: platformDateTime(new Date().toISOString())
        },
        'fake org'
      ).occurredAt,
      eventType:
        eventType ??
        (decision === 'REJECT' ? 'Reject' : decision === 'QUARANTINE' ? 'Quarantine' : 'Decision'),
      recordId: recordId ?? '',
      objectType: object,
      actingUser: '005000000000001AAA',
      decision,
      reasonCodes: reasons.join(';'),
      eventKey: createHash('sha256').update(`${object}|${this.events.length}`).digest('hex'),
      payload,
      hash: '',
      signature: ''
    };
    event.hash = eventHash(event);
    this.events.push(event);
  }

  /**
   * `POST /metadata/deployRequest`: a multipart body with the zip (`file`) and the JSON
   * `entity_content`. Production refuses `NoTestRun` (INVALID_OPERATION).
   */
  private async deploy(body: Buffer, contentType: string, res: http.ServerResponse): Promise<void> {
    const boundary = /boundary=([^;]+)/.exec(contentType)?.[1] ?? '';
    const parts = multipartParts(body, boundary);
    const entity = parts.find((p) => p.name === 'entity_content');
    const file = parts.find((p) => p.name === 'file');
    if (!entity || !file)
      return this.send(res, 400, [
        { errorCode: 'INVALID_MULTIPART_REQUEST', message: 'entity_content and file are required' }
      ]);
    const parsed =
      (
        JSON.parse(entity.content.toString('utf8')) as {
          deployOptions?: { checkOnly?: boolean; testLevel?: string };
        }
      ).deployOptions ?? {};
    if (this.options.production && parsed.testLevel === 'NoTestRun')
      return this.send(res, 400, [
        {
          errorCode: 'INVALID_OPERATION',
          message: 'testLevel of NoTestRun cannot be used in production organizations'
        }
      ]);
    const zip = await ZipTreeContainer.create(file.content);
    const manifest = (await zip.readFile('package.xml')).toString('utf8');
    const id = `0Af${'FAKE'}${String(++this.counter).padStart(11, '0')}`;
    this.deploys.push({
      id,
      checkOnly: parsed.checkOnly === true,
      testLevel: parsed.testLevel ?? 'Default',
      packageName: /<fullName>([^<]*)<\/fullName>/.exec(manifest)?.[1] ?? null,
      entityFilename: entity.filename
    });
    if (!parsed.checkOnly && !this.faults.deployFailure) this.hiddenPolicies.clear();
    this.send(res, 201, {
      id,
      deployOptions: parsed,
      deployResult: { id, status: 'Pending', done: false }
    });
  }

  private deployStatus(id: string, res: http.ServerResponse): void {
    const deploy = this.deploys.find((d) => d.id === id);
    if (!deploy)
      return this.send(res, 404, [{ errorCode: 'NOT_FOUND', message: `no deploy ${id}` }]);
    const failure = this.faults.deployFailure;
    const success = !failure;
    this.send(res, 200, {
      id,
      deployResult: {
        id,
        checkOnly: deploy.checkOnly,
        done: true,
        success,
        status: success ? 'Succeeded' : 'Failed',
        numberComponentsDeployed: success ? 120 : 119,
        numberComponentErrors: success ? 0 : 1,
        numberComponentsTotal: 120,
        numberTestsCompleted: 2,
        numberTestErrors: success ? 0 : 1,
        numberTestsTotal: success ? 2 : 3,
        runTestsEnabled: deploy.testLevel !== 'NoTestRun',
        details: {
          componentSuccesses: [],
          componentFailures: failure
            ? [
                {
                  componentType: 'ApexClass',
                  fullName: failure.component,
                  fileName: `classes/${failure.component}.cls`,
                  problem: failure.problem,
                  problemType: 'Error',
                  lineNumber: 12,
                  columnNumber: 5,
                  success: false
                }
              ]
            : [],
          runTestResult: {
            numTestsRun: success ? 2 : 3,
            numFailures: success ? 0 : 1,
            totalTime: 1234,
            successes: [
              { name: 'ProvenancePolicyTest', methodName: 'decides_every_vector', time: 600 },
              { name: 'AuditChainTest', methodName: 'appends_and_verifies', time: 634 }
            ],
            failures: failure
              ? [
                  {
                    name: 'SyntheticEnforcementHandlerTest',
                    methodName: 'bulk_insert_200',
                    message: 'System.AssertException: Assertion Failed',
                    stackTrace: 'Class.SyntheticEnforcementHandlerTest: line 40',
                    time: 10
                  }
                ]
              : [],
            codeCoverage: [
              {
                name: 'ProvenancePolicy',
                type: 'Class',
                numLocations: 100,
                numLocationsNotCovered: 3
              },
              { name: 'AuditChain', type: 'Class', numLocations: 80, numLocationsNotCovered: 12 }
            ],
            codeCoverageWarnings: []
          }
        }
      }
    });
  }

  /** Bulk API 2.0 query and ingest jobs (processed at once; results kept per job). */
  private bulk(
    method: string,
    rest: string,
    url: URL,
    body: Buffer,
    res: http.ServerResponse
  ): boolean {
    if (rest === '/jobs/query' && method === 'POST') {
      const spec = JSON.parse(body.toString('utf8')) as { query: string };
      this.bulkQueries.push(spec.query);
      const result = this.soql(spec.query);
      if (!result.rows) {
        this.send(res, result.status, result.body);
        return true;
      }
      const id = `750FAKEQ${++this.counter}`;
      const header = parseSoql(spec.query)!.fields;
      const rows = result.rows.map((r) =>
        header.map((f) => {
          const dot = f.indexOf('.');
          const v =
            dot > 0
              ? ((r[f.slice(0, dot)] as unknown as FakeRecord | null)?.[f.slice(dot + 1)] ?? null)
              : r[f];
          return v === null || v === undefined ? '' : String(v);
        })
      );
      // Without ORDER BY, Bulk API 2.0 returns rows in no set order (PK chunks in parallel).
      if (!/\bORDER BY\b/i.test(spec.query)) rows.reverse();
      this.bulkJobs.set(id, {
        kind: 'query',
        spec,
        data: '',
        results: { ok: rows, failed: [], header }
      });
      this.send(res, 200, { id, operation: 'query', state: 'UploadComplete' });
      return true;
    }
    let m = /^\/jobs\/(query|ingest)\/(\w+)$/.exec(rest);
    if (m && method === 'GET') {
      const job = this.bulkJobs.get(m[2]!);
      if (!job) return false;
      const results = job.results;
      this.send(res, 200, {
        id: m[2],
        state: job.state ?? (job.kind === 'ingest' && !results ? 'Open' : 'JobComplete'),
        ...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
        numberRecordsProcessed: results ? results.ok.length + results.failed.length : 0,
        numberRecordsFailed: results?.failed.length ?? 0
      });
      return true;
    }
    m = /^\/jobs\/query\/(\w+)\/results$/.exec(rest);
    if (m) {
      const job = this.bulkJobs.get(m[1]!)!;
      const size = Number(url.searchParams.get('maxRecords') ?? 1e9);
      const pageSize = Math.min(size, this.options.bulkPageSize ?? 1e9);
      const start = Number(url.searchParams.get('locator') ?? 0);
      const page = job.results!.ok.slice(start, start + pageSize);
      const next = start + pageSize < job.results!.ok.length ? String(start + pageSize) : 'null';
      this.send(res, 200, stringify([job.results!.header, ...page]), {
        'Sforce-Locator': next,
        'Sforce-NumberOfRecords': String(page.length)
      });
      return true;
    }
    if (rest === '/jobs/ingest' && method === 'POST') {
      const spec = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      const id = `750FAKEI${++this.counter}`;
      this.bulkJobs.set(id, { kind: 'ingest', spec, data: '' });
      this.send(res, 200, { id, state: 'Open', ...spec });
      return true;
    }
    m = /^\/jobs\/ingest\/(\w+)\/batches$/.exec(rest);
    if (m && method === 'PUT') {
      this.bulkJobs.get(m[1]!)!.data += body.toString('utf8');
      res.writeHead(201);
      res.end();
      return true;
    }
    m = /^\/jobs\/ingest\/(\w+)$/.exec(rest);
    if (m && method === 'PATCH') {
      const job = this.bulkJobs.get(m[1]!)!;
      const rows = parse<Record<string, string>>(job.data, { columns: true });
      const header = Object.keys(rows[0] ?? {});
      const ext = String(job.spec.externalIdFieldName);
      const results = {
        ok: [] as string[][],
        failed: [] as string[][],
        unprocessed: [] as string[][],
        header
      };
      const stopAt = this.faults.failIngestAfter ?? Infinity;
      // Salesforce runs triggers on 200 records at a time.
      for (let i = 0; i < rows.length; i += 200) {
        if (i >= stopAt) {
          results.unprocessed.push(...rows.slice(i).map((r) => header.map((h) => r[h] ?? '')));
          job.state = 'Failed';
          job.errorMessage = 'InvalidBatch : Failed to process query';
          break;
        }
        // An empty cell leaves the field as it is; only #N/A blanks it.
        const chunk = rows.slice(i, i + 200).map(
          (r) =>
            Object.fromEntries(
              Object.entries(r)
                .filter(([, v]) => v !== '')
                .map(([k, v]) => [
                  k,
                  v === '#N/A' ? null : v === 'true' ? true : v === 'false' ? false : v
                ])
            ) as FakeRecord
        );
        this.upsert(String(job.spec.object), ext, chunk).forEach((r, j) => {
          const original = header.map((h) => rows[i + j]![h] ?? '');
          if (r.ok) results.ok.push([r.id ?? '', String(r.created), ...original]);
          else results.failed.push(['', r.error ?? '', ...original]);
        });
      }
      job.results = results;
      this.send(res, 200, { id: m[1], state: 'UploadComplete' });
      return true;
    }
    m = /^\/jobs\/ingest\/(\w+)\/(successfulResults|failedResults|unprocessedrecords)$/.exec(rest);
    if (m) {
      const job = this.bulkJobs.get(m[1]!)!;
      const r = job.results!;
      if (m[2] === 'successfulResults')
        this.send(res, 200, stringify([['sf__Id', 'sf__Created', ...r.header], ...r.ok]));
      else if (m[2] === 'failedResults')
        this.send(res, 200, stringify([['sf__Id', 'sf__Error', ...r.header], ...r.failed]));
      else this.send(res, 200, stringify([r.header, ...(r.unprocessed ?? [])]));
      return true;
    }
    return false;
  }
}

/** What one record's upsert answered, for REST (`rest`) and Bulk API 2.0 (`error`). */
export interface UpsertOutcome {
  key: string;
  id: string | null;
  ok: boolean;
  created: boolean;
  error: string | null;
  rest: unknown;
}

/** Values as the platform stores them (DateTimes at whole seconds, `…000+0000`). */
function storedAsPlatform(fields: FakeRecord): FakeRecord {
  const out: FakeRecord = {};
  for (const [k, v] of Object.entries(fields)) out[k] = platformDateTime(v);
  return out;
}

/** The parts of a multipart/form-data body: name, filename (null for a plain field), bytes. */
function multipartParts(
  body: Buffer,
  boundary: string
): { name: string; filename: string | null; content: Buffer }[] {
  const parts: { name: string; filename: string | null; content: Buffer }[] = [];
  const marker = Buffer.from(`--${boundary}`);
  let at = body.indexOf(marker);
  while (at >= 0) {
    const start = at + marker.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(marker, start);
    if (next < 0) break;
    const part = body.subarray(start + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, split).toString('utf8');
    parts.push({
      name: /name="([^"]*)"/.exec(headers)?.[1] ?? '',
      filename: /filename="([^"]*)"/.exec(headers)?.[1] ?? null,
      content: part.subarray(split + 4)
    });
    at = next;
  }
  return parts;
}

function flattenRelationships(record: FakeRecord): FakeRecord {
  const out: FakeRecord = {};
  for (const [name, value] of Object.entries(record)) {
    if (value !== null && typeof value === 'object') {
      for (const [child, v] of Object.entries(value))
        if (name !== 'attributes') out[`${name}.${child}`] = v as FakeRecord[string];
    } else out[name] = value;
  }
  return out;
}

/** An API client for the fake org, as `connectOrg` would build it after a login. */
export function fakeApi(fake: FakeSalesforce, org = 'fake'): SalesforceApi {
  return new SalesforceApi(
    {
      org,
      username: 'admin@sdg.test',
      instanceUrl: fake.url,
      accessToken: fake.accessToken,
      apiVersion: fake.apiVersion
    },
    { attempts: 5, baseDelayMs: 1, sleep: () => Promise.resolve() }
  );
}

/**
 * Logs the fake org into the sf CLI's auth store under `alias`, as `sf org login access-token`
 * would (call with HOME pointing at a temporary folder).
 */
export async function loginToFake(fake: FakeSalesforce, alias: string): Promise<void> {
  const { AuthInfo, StateAggregator } = await import('@salesforce/core');
  const auth = await AuthInfo.create({
    username: 'admin@sdg.test',
    accessTokenOptions: { accessToken: fake.accessToken, instanceUrl: fake.url, loginUrl: fake.url }
  });
  await auth.save();
  const state = await StateAggregator.getInstance();
  await state.aliases.setAndSave(alias, 'admin@sdg.test');
}
