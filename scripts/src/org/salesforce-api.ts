import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { fieldText } from '../field-text';

/** What a REST call needs: where the org is, the session, and how to renew it. */
export interface OrgSession {
  /** The alias or username the user gave (`--target-org`). */
  org: string;
  username: string;
  instanceUrl: string;
  accessToken: string;
  apiVersion: string;
  /** Renews the access token through the login's own flow (web, JWT, scratch org). */
  refresh?: () => Promise<string>;
  /** The command that logs in again when the session cannot be renewed. */
  relogin?: string;
}

/** A Salesforce API error: its `errorCode` (e.g. INVALID_SESSION_ID) and what to do about it. */
export class OrgApiError extends Error {
  constructor(
    message: string,
    readonly errorCode: string,
    readonly status: number,
    /** What to do next, when the client knows better than the error code (e.g. how to log in). */
    readonly advice?: string
  ) {
    super(message);
    this.name = 'OrgApiError';
  }
}

/**
 * Errors that clear up when the same call is made again a little later. A request limit is
 * not among them: the 24-hour allocation does not come back in seconds (see
 * `isDailyLimit`); only the concurrent long-request limit does.
 */
export const TRANSIENT_ERRORS = new Set([
  'UNABLE_TO_LOCK_ROW',
  'SERVER_UNAVAILABLE',
  'QUERY_TIMEOUT'
]);

/** The org's 24-hour API request allocation is used up (`TotalRequests Limit exceeded.`). */
export function isDailyLimit(error: OrgApiError): boolean {
  return error.errorCode === 'REQUEST_LIMIT_EXCEEDED' && !/concurrent/i.test(error.message);
}

/**
 * Methods whose repetition cannot create a second resource: a retry after a lost answer is
 * safe. A POST (create a job, a deploy, a recall, an assignment, an install) is not.
 */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'DELETE']);

const PERMANENT_NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND']);

/** Retry behaviour; tests shorten the waits. */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 1000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms))
};

/** One row of a query, every value as text (as in a CSV export), and where it came from. */
export interface QueryRow {
  fields: Record<string, string>;
  where: string;
}

/** Result of writing one record (composite or Bulk API 2.0 ingest), in input order. */
export interface WriteResult {
  key: string;
  id: string | null;
  created: boolean;
  success: boolean;
  errorCode: string | null;
  message: string | null;
}

/** A record to upsert: field API names to values; `key` is its external id. */
export interface UpsertRecord {
  key: string;
  fields: Record<string, string | number | boolean | null>;
}

/** Bulk API 2.0 result pages are capped so a page never holds more than this many rows. */
const BULK_PAGE_SIZE = 50_000;
const COMPOSITE_MAX = 200;

/** Flattens a REST query record (`attributes` removed, `Parent.Field` for relationships). */
export function flattenRecord(
  record: Record<string, unknown>,
  prefix = ''
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(record)) {
    if (name === 'attributes') continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      Object.assign(out, flattenRecord(value as Record<string, unknown>, `${prefix}${name}.`));
    else out[`${prefix}${name}`] = fieldText(value);
  }
  return out;
}

function errorOf(body: unknown, status: number): OrgApiError {
  const first = Array.isArray(body) ? (body[0] as Record<string, unknown> | undefined) : body;
  let record = (first ?? {}) as Record<string, unknown>;
  // The package's own REST resources answer {status, errors: [{code, message, field}]}.
  const packageError = Array.isArray(record.errors)
    ? (record.errors[0] as Record<string, unknown> | undefined)
    : undefined;
  if (packageError && record.errorCode === undefined)
    record = {
      errorCode: packageError.code,
      message: `${fieldText(packageError.message)}${packageError.field ? ` (${fieldText(packageError.field)})` : ''}`
    };
  const code = fieldText(record.errorCode ?? record.error ?? `HTTP_${status}`);
  const message = fieldText(record.message ?? record.error_description ?? `HTTP ${status}`);
  return new OrgApiError(message, code, status);
}

/**
 * The REST, Composite, Tooling and Bulk API 2.0 calls the CLI makes, over `fetch`: JSON in and
 * out, CSV streamed, transient errors retried with exponential backoff, an expired session
 * renewed once where the login allows it.
 */
/** A field as the sObject Describe resource lists it (the properties the CLI reads). */
export interface DescribedField {
  name: string;
  /** Whether it is the object's name field (Task: Subject). */
  nameField: boolean;
  /** The objects a lookup or master-detail field points to. */
  referenceTo: string[];
  /** Whether deleting the referenced record deletes this one (master-detail). */
  cascadeDelete: boolean;
}

/** A child relationship as the parent's sObject Describe lists it (REST API `childRelationships`). */
export interface DescribedChild {
  childSObject: string;
  field: string;
  /** Whether deleting the parent deletes the child (the parent's word, whatever the field says). */
  cascadeDelete: boolean;
}

export class SalesforceApi {
  constructor(
    readonly session: OrgSession,
    readonly retry: RetryPolicy = DEFAULT_RETRY
  ) {}

  /** `/services/data/vXX.X` + path. */
  url(path: string): string {
    if (/^https?:/.test(path)) return path;
    if (path.startsWith('/services/')) return `${this.session.instanceUrl}${path}`;
    return `${this.session.instanceUrl}/services/data/v${this.session.apiVersion}${path}`;
  }

  /** The last `Sforce-Limit-Info` header seen, e.g. `api-usage=14980/15000`. */
  limitInfo: string | null = null;

  /**
   * One HTTP call with retries; resolves to the response of the last attempt that succeeded.
   * Only an idempotent call (GET, or `idempotent: true` such as an upsert by external id) is
   * repeated after a 5xx or a lost connection; any call is repeated when the org says it did
   * nothing (row lock, 503, concurrent request limit).
   */
  async call(
    method: string,
    path: string,
    body?: string | Buffer,
    contentType = 'application/json',
    options: { idempotent?: boolean } = {}
  ): Promise<Response> {
    const idempotent = options.idempotent ?? IDEMPOTENT_METHODS.has(method);
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(this.url(path), {
          method,
          headers: {
            Authorization: `Bearer ${this.session.accessToken}`,
            Accept: 'application/json, text/csv',
            ...(body === undefined ? {} : { 'Content-Type': contentType })
          },
          body
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? 'network error';
        // A refused connection or an unknown host will not answer a retry either.
        const permanent = PERMANENT_NETWORK_ERRORS.has(cause);
        if (attempt < this.retry.attempts && !permanent && idempotent) {
          await this.retry.sleep(this.retry.baseDelayMs * 2 ** (attempt - 1));
          continue;
        }
        if (!permanent && !idempotent)
          throw new OrgApiError(
            `The connection to ${this.session.instanceUrl} was lost during ${method} ${path.split('?')[0]} (${cause}); the org may have done it. Not repeated, so nothing is done twice.`,
            'UNCERTAIN_OUTCOME',
            0
          );
        throw new OrgApiError(
          `Cannot reach ${this.session.instanceUrl} (${cause}).`,
          'UNREACHABLE',
          0
        );
      }
      this.limitInfo = response.headers.get('sforce-limit-info') ?? this.limitInfo;
      if (response.ok) return response;
      const payload = await response.text();
      let parsed: unknown = payload;
      try {
        parsed = JSON.parse(payload);
      } catch {
        parsed = { message: payload.slice(0, 200) || response.statusText };
      }
      const error = errorOf(parsed, response.status);
      if (error.errorCode === 'INVALID_SESSION_ID') {
        if (!this.session.refresh || renewed) throw this.sessionError(error, null);
        renewed = true;
        try {
          this.session.accessToken = await this.session.refresh();
        } catch (failure) {
          throw this.sessionError(error, failure as Error);
        }
        attempt--;
        continue;
      }
      if (isDailyLimit(error))
        throw new OrgApiError(
          `${error.message}${this.limitInfo ? ` (${this.limitInfo.replace('api-usage=', 'API requests used/allowed in the last 24 hours: ')})` : ''}`,
          error.errorCode,
          error.status
        );
      // The org refused without doing anything: safe to repeat whatever the method.
      const refused =
        TRANSIENT_ERRORS.has(error.errorCode) ||
        error.errorCode === 'REQUEST_LIMIT_EXCEEDED' ||
        response.status === 503;
      const transient = refused || (idempotent && response.status >= 500);
      if (transient && attempt < this.retry.attempts) {
        const retryAfter = Number(response.headers.get('retry-after'));
        await this.retry.sleep(
          retryAfter > 0 ? retryAfter * 1000 : this.retry.baseDelayMs * 2 ** (attempt - 1)
        );
        continue;
      }
      throw error;
    }
  }

  private sessionError(error: OrgApiError, failure: Error | null): OrgApiError {
    const why = failure ? `; renewing it failed: ${failure.message}` : '';
    return new OrgApiError(
      `${error.message}${why}`,
      'INVALID_SESSION_ID',
      error.status,
      this.session.relogin
    );
  }

  /** A JSON call. */
  async json<T>(
    method: string,
    path: string,
    body?: unknown,
    options: { idempotent?: boolean } = {}
  ): Promise<T> {
    const response = await this.call(
      method,
      path,
      body === undefined ? undefined : JSON.stringify(body),
      'application/json',
      options
    );
    const payload = await response.text();
    return (payload ? JSON.parse(payload) : {}) as T;
  }

  /** Streams a SOQL query through REST (`query` then `nextRecordsUrl` pages). */
  query(soql: string, options: { tooling?: boolean } = {}): AsyncGenerator<QueryRow> {
    return this.pages(options.tooling ? '/tooling/query' : '/query', 'REST query', soql);
  }

  /**
   * Streams a SOQL query through the REST QueryAll resource: archived activities (Task, Event
   * rows archived after a year) and deleted rows too, which `query` leaves out.
   */
  queryIncludingArchived(soql: string): AsyncGenerator<QueryRow> {
    return this.pages('/queryAll', 'REST queryAll', soql);
  }

  /** The rows of `soql` from a query resource, page by page (`nextRecordsUrl`). */
  private async *pages(
    resource: '/query' | '/tooling/query' | '/queryAll',
    label: 'REST query' | 'REST queryAll',
    soql: string
  ): AsyncGenerator<QueryRow> {
    let next: string | undefined = `${resource}?q=${encodeURIComponent(soql)}`;
    let n = 0;
    const from = /\bFROM\s+(\w+)/i.exec(soql)?.[1] ?? 'query';
    while (next) {
      const page: { records: Record<string, unknown>[]; done: boolean; nextRecordsUrl?: string } =
        await this.json('GET', next);
      for (const record of page.records)
        yield { fields: flattenRecord(record), where: `${from} (${label}, row ${++n})` };
      next = page.done ? undefined : page.nextRecordsUrl;
    }
  }

  /** All rows of a small query, as flat records. */
  async queryAll(soql: string, options: { tooling?: boolean } = {}): Promise<QueryRow[]> {
    const rows: QueryRow[] = [];
    for await (const row of this.query(soql, options)) rows.push(row);
    return rows;
  }

  /**
   * The fields of an object (`sobjects/<Object>/describe`), each with whether it is the object's
   * name field (Task: Subject); null when the org has no such object (404).
   */
  async describeFields(object: string): Promise<DescribedField[] | null> {
    return (await this.describe(object))?.fields ?? null;
  }

  /**
   * An object's fields and child relationships (`sobjects/<Object>/describe`); null when the org
   * has no such object (404).
   */
  async describe(
    object: string
  ): Promise<{ fields: DescribedField[]; childRelationships: DescribedChild[] } | null> {
    try {
      const described = await this.json<{
        fields?: Partial<DescribedField>[];
        childRelationships?: Partial<DescribedChild>[];
      }>('GET', `/sobjects/${encodeURIComponent(object)}/describe`);
      return {
        fields: (described.fields ?? []).map((field) => ({
          name: field.name ?? '',
          nameField: field.nameField === true,
          referenceTo: field.referenceTo ?? [],
          cascadeDelete: field.cascadeDelete === true
        })),
        childRelationships: (described.childRelationships ?? []).map((relation) => ({
          childSObject: relation.childSObject ?? '',
          field: relation.field ?? '',
          cascadeDelete: relation.cascadeDelete === true
        }))
      };
    } catch (error) {
      if (error instanceof OrgApiError && error.status === 404) return null;
      throw error;
    }
  }

  /** `SELECT COUNT() FROM …`: the number of rows a query would return. */
  async count(soql: string): Promise<number> {
    const page: { totalSize: number } = await this.json(
      'GET',
      `/query?q=${encodeURIComponent(soql)}`
    );
    return page.totalSize;
  }

  /**
   * Waits for a Bulk API 2.0 job to reach a final state. A query job that fails or is aborted
   * has no results to read and throws; an ingest job answers its final state, because a
   * `Failed` or `Aborted` ingest job still has failed and unprocessed records to read.
   */
  private async waitForJob(kind: 'query' | 'ingest', id: string): Promise<Record<string, unknown>> {
    for (let poll = 0; ; poll++) {
      const job: Record<string, unknown> = await this.json('GET', `/jobs/${kind}/${id}`);
      if (job.state === 'JobComplete') return job;
      if (job.state === 'Failed' || job.state === 'Aborted') {
        if (kind === 'ingest') return job;
        throw new OrgApiError(
          `Bulk API 2.0 ${kind} job ${id} ${fieldText(job.state).toLowerCase()}: ${fieldText(job.errorMessage) || 'no reason given'}.`,
          'BULK_JOB_FAILED',
          200
        );
      }
      await this.retry.sleep(Math.min(this.retry.baseDelayMs * 2 ** Math.min(poll, 4), 10_000));
    }
  }

  /** Streams a SOQL query through a Bulk API 2.0 query job: CSV pages parsed as they arrive. */
  async *bulkQuery(soql: string): AsyncGenerator<QueryRow> {
    // A second query job after a lost answer only reads twice: safe to repeat.
    const job: { id: string } = await this.json(
      'POST',
      '/jobs/query',
      {
        operation: 'query',
        query: soql,
        contentType: 'CSV',
        columnDelimiter: 'COMMA',
        lineEnding: 'LF'
      },
      { idempotent: true }
    );
    await this.waitForJob('query', job.id);
    let locator = '';
    let n = 0;
    do {
      const response = await this.call(
        'GET',
        `/jobs/query/${job.id}/results?maxRecords=${BULK_PAGE_SIZE}${locator ? `&locator=${encodeURIComponent(locator)}` : ''}`
      );
      locator = response.headers.get('sforce-locator') ?? 'null';
      if (!response.body) break;
      const rows = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>).pipe(
        parse({ columns: true, bom: true, max_record_size: 16 * 1024 * 1024 })
      );
      for await (const record of rows as AsyncIterable<Record<string, string>>)
        yield { fields: record, where: `Bulk API 2.0 query job ${job.id}, row ${++n}` };
    } while (locator && locator !== 'null');
  }

  /** Upserts up to 200 records in one Composite sObject Collections call (allOrNone false). */
  async upsertCollection(
    object: string,
    externalIdField: string,
    records: UpsertRecord[]
  ): Promise<WriteResult[]> {
    if (records.length > COMPOSITE_MAX)
      throw new RangeError(`at most ${COMPOSITE_MAX} records per composite call`);
    const body = {
      allOrNone: false,
      records: records.map((r) => ({
        attributes: { type: object },
        ...toRestFields(r.fields),
        [externalIdField]: r.key
      }))
    };
    const results: {
      id?: string;
      success: boolean;
      created?: boolean;
      errors?: { statusCode: string; message: string }[];
    }[] = await this.json('PATCH', `/composite/sobjects/${object}/${externalIdField}`, body, {
      // An upsert by external id sent twice updates the record it created: safe to repeat.
      idempotent: true
    });
    return records.map((record, i) => {
      const r = results[i] ?? { success: false, errors: [] };
      const error = r.errors?.[0];
      return {
        key: record.key,
        id: r.id ?? null,
        created: r.created === true,
        success: r.success,
        errorCode: r.success ? null : (error?.statusCode ?? 'UNKNOWN'),
        message: r.success ? null : (error?.message ?? 'no result for this record')
      };
    });
  }

  /** Upserts records through one Bulk API 2.0 ingest job; results come back per record. */
  async bulkUpsert(
    object: string,
    externalIdField: string,
    columns: string[],
    records: UpsertRecord[]
  ): Promise<WriteResult[]> {
    const job: { id: string } = await this.json('POST', '/jobs/ingest', {
      object,
      externalIdFieldName: externalIdField,
      contentType: 'CSV',
      operation: 'upsert',
      lineEnding: 'LF'
    });
    // Empty cells leave a field unchanged on update (Bulk API 2.0 blanks only "#N/A").
    const csv = stringify(
      [
        [externalIdField, ...columns],
        ...records.map((r) => [r.key, ...columns.map((c) => r.fields[c] ?? null)])
      ],
      { record_delimiter: 'unix', cast: { boolean: (b) => String(b) } }
    );
    await this.call('PUT', `/jobs/ingest/${job.id}/batches`, csv, 'text/csv');
    await this.json('PATCH', `/jobs/ingest/${job.id}`, { state: 'UploadComplete' });
    const final = await this.waitForJob('ingest', job.id);
    const byKey = new Map<string, WriteResult>();
    const read = async (kind: string, build: (row: Record<string, string>) => WriteResult) => {
      const response = await this.call('GET', `/jobs/ingest/${job.id}/${kind}`);
      const rows = parseSync<Record<string, string>>(await response.text(), {
        columns: true,
        bom: true
      });
      for (const row of rows) {
        const result = build(row);
        byKey.set(result.key, result);
      }
    };
    await read('successfulResults', (row) => ({
      key: row[externalIdField] ?? '',
      id: row.sf__Id || null,
      created: row.sf__Created === 'true',
      success: true,
      errorCode: null,
      message: null
    }));
    await read('failedResults', (row) => {
      const { code, message } = parseBulkError(row.sf__Error ?? '');
      return {
        key: row[externalIdField] ?? '',
        id: row.sf__Id || null,
        created: false,
        success: false,
        errorCode: code,
        message
      };
    });
    const reason = `Bulk API 2.0 job ${job.id} ${fieldText(final.state).toLowerCase()} before this record (${fieldText(final.errorMessage) || 'no reason given'}).`;
    if (final.state !== 'JobComplete')
      await read('unprocessedrecords', (row) => ({
        key: row[externalIdField] ?? '',
        id: null,
        created: false,
        success: false,
        errorCode: 'UNPROCESSED',
        message: reason
      }));
    return records.map(
      (r) =>
        byKey.get(r.key) ?? {
          key: r.key,
          id: null,
          created: false,
          success: false,
          errorCode: 'UNPROCESSED',
          message: reason
        }
    );
  }
}

/**
 * `sf__Error` of a failed Bulk API 2.0 row: `CODE:message:fields --` (e.g.
 * `REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --`); the trailing
 * field list is dropped from the message.
 */
export function parseBulkError(text: string): { code: string; message: string } {
  const colon = text.indexOf(':');
  if (colon < 0) return { code: text.trim() || 'UNKNOWN', message: '' };
  const rest = text.slice(colon + 1);
  const fields = rest.lastIndexOf('--');
  const message = (fields >= 0 ? rest.slice(0, fields) : rest).trim();
  // "message:Field1,Field2 --": the field names after the last colon belong to the suffix.
  const withoutFields = fields >= 0 ? message.replace(/:[\w.,\s]*$/, '').trim() : message;
  return { code: text.slice(0, colon).trim(), message: withoutFields };
}

/** REST JSON for a record: `Parent.Field` keys become nested relationship objects. */
export function toRestFields(
  fields: Record<string, string | number | boolean | null>
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    const dot = name.indexOf('.');
    if (dot < 0) out[name] = value;
    else if (value !== null && value !== '')
      out[name.slice(0, dot)] = { [name.slice(dot + 1)]: value };
  }
  return out;
}
