import type { SalesforceApi } from '../org/salesforce-api';

/** Test levels a deploy may run (production orgs refuse NoTestRun). */
export const TEST_LEVELS = ['RunLocalTests', 'RunAllTestsInOrg', 'NoTestRun'] as const;
export type TestLevel = (typeof TEST_LEVELS)[number];

/** Coverage of one Apex class or trigger after the deploy's test run. */
export interface ClassCoverage {
  name: string;
  type: string;
  lines: number;
  uncovered: number;
  percent: number;
}

/** What a Metadata API deploy did, in the terms a release engineer reads. */
export interface DeployReport {
  id: string;
  checkOnly: boolean;
  status: string;
  success: boolean;
  components: { total: number; deployed: number; failed: number };
  componentFailures: {
    type: string;
    name: string;
    file: string;
    line: number | null;
    problem: string;
  }[];
  tests: { run: number; failed: number };
  testFailures: { name: string; method: string; message: string; stackTrace: string }[];
  coverage: { classes: ClassCoverage[]; overall: number | null };
}

type Raw = Record<string, unknown>;
const list = (value: unknown): Raw[] =>
  Array.isArray(value) ? (value as Raw[]) : value ? [value as Raw] : [];
const num = (value: unknown): number => Number(value ?? 0);
const str = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : '';

/** Reads the Metadata API's DeployResult (REST JSON) into a report. */
export function toDeployReport(result: Raw): DeployReport {
  const details = (result.details ?? {}) as Raw;
  const tests = (details.runTestResult ?? {}) as Raw;
  const classes = list(tests.codeCoverage).map((c) => {
    const lines = num(c.numLocations);
    const uncovered = num(c.numLocationsNotCovered);
    return {
      name: str(c.name),
      type: str(c.type) || 'Class',
      lines,
      uncovered,
      percent: lines ? Math.round(((lines - uncovered) / lines) * 1000) / 10 : 100
    };
  });
  const total = classes.reduce((n, c) => n + c.lines, 0);
  const covered = classes.reduce((n, c) => n + c.lines - c.uncovered, 0);
  return {
    id: str(result.id),
    checkOnly: result.checkOnly === true,
    status: str(result.status),
    success: result.success === true,
    components: {
      total: num(result.numberComponentsTotal),
      deployed: num(result.numberComponentsDeployed),
      failed: num(result.numberComponentErrors)
    },
    componentFailures: list(details.componentFailures).map((f) => ({
      type: str(f.componentType),
      name: str(f.fullName),
      file: str(f.fileName),
      line: f.lineNumber === undefined || f.lineNumber === null ? null : num(f.lineNumber),
      problem: str(f.problem)
    })),
    tests: { run: num(tests.numTestsRun), failed: num(tests.numFailures) },
    testFailures: list(tests.failures).map((f) => ({
      name: str(f.name),
      method: str(f.methodName),
      message: str(f.message),
      stackTrace: str(f.stackTrace)
    })),
    coverage: {
      classes,
      overall: total ? Math.round((covered / total) * 1000) / 10 : null
    }
  };
}

/**
 * The multipart body of a `deployRequest` as jsforce (and so `sf`) sends it: the zip as a file
 * part, then `entity_content` as a plain JSON form field (no filename).
 */
export function deployRequestBody(
  zip: Buffer,
  deployOptions: Raw
): { body: Buffer; contentType: string } {
  const boundary = `----sdg${Date.now().toString(16)}${Math.random().toString(16).slice(2)}`;
  const part = (headers: string[], content: Buffer | string) => [
    Buffer.from(`--${boundary}\r\n${headers.join('\r\n')}\r\n\r\n`),
    Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'),
    Buffer.from('\r\n')
  ];
  const body = Buffer.concat([
    ...part(
      [
        'Content-Disposition: form-data; name="file"; filename="deploy.zip"',
        'Content-Type: application/zip'
      ],
      zip
    ),
    ...part(
      ['Content-Disposition: form-data; name="entity_content"', 'Content-Type: application/json'],
      JSON.stringify({ deployOptions })
    ),
    Buffer.from(`--${boundary}--\r\n`)
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Sends a deploy zip (built by source-deploy-retrieve) to the Metadata API over REST, the same
 * request jsforce and `sf project deploy start` make when REST deploys are on, then polls the
 * deploy until it is done.
 */
export async function deployZip(
  api: SalesforceApi,
  zip: Buffer,
  options: {
    checkOnly: boolean;
    /** Absent: the org's default for the zip's contents. */
    testLevel?: TestLevel;
    waitMinutes: number;
    onPoll?: (result: Raw) => void;
  }
): Promise<DeployReport> {
  const deployOptions: Raw = {
    checkOnly: options.checkOnly,
    rollbackOnError: true,
    singlePackage: true
  };
  // No test level: the Metadata API's default (tests in production only when the zip holds Apex).
  if (options.testLevel) deployOptions.testLevel = options.testLevel;
  const { body, contentType } = deployRequestBody(zip, deployOptions);
  // A POST creates a deploy: never repeated after a lost answer (it could deploy twice).
  const response = await api.call('POST', '/metadata/deployRequest', body, contentType);
  const { id } = (await response.json()) as { id: string };
  const deadline = Date.now() + options.waitMinutes * 60_000;
  for (let poll = 0; ; poll++) {
    const status: { deployResult: Raw } = await api.json(
      'GET',
      `/metadata/deployRequest/${id}?includeDetails=true`
    );
    options.onPoll?.(status.deployResult);
    if (status.deployResult.done === true) return toDeployReport(status.deployResult);
    if (Date.now() > deadline)
      throw new DeployTimeout(
        `Deploy ${id} is still running after ${options.waitMinutes} minutes. Follow it with: sf project deploy report --job-id ${id}`
      );
    await api.retry.sleep(Math.min(api.retry.baseDelayMs * 2 ** Math.min(poll, 3), 10_000));
  }
}

/** The deploy did not finish within --wait. */
export class DeployTimeout extends Error {}
