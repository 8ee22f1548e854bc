import type { Connection, Org } from '@salesforce/core';
import { OrgConnectError } from './org-connect-error';
import { OrgApiError, OrgSession, RetryPolicy, SalesforceApi } from './salesforce-api';

export { OrgConnectError };

/** What to tell the user for an API error; `org` is the alias they gave. */
export function explainApiError(error: OrgApiError, org: string): string {
  switch (error.errorCode) {
    case 'INVALID_SESSION_ID':
      return `The session for ${org} has expired or was revoked (${error.message}). Log in again: ${error.advice ?? `sf org login web --alias ${org}`}`;
    case 'INVALID_OPERATION':
      return /NoTestRun/.test(error.message)
        ? `${org} is a production org, which refuses --test-level NoTestRun (${error.message}). Deploy with --test-level RunLocalTests.`
        : `${org} answered INVALID_OPERATION: ${error.message}`;
    case 'UNCERTAIN_OUTCOME':
      return `${error.message} Check ${org} before running the command again.`;
    case 'UNREACHABLE':
      return `${error.message} Check the network or VPN, or whether the org's My Domain changed (sf org display --target-org ${org}).`;
    case 'REQUEST_LIMIT_EXCEEDED':
      return `${org} has used up its API requests for the last 24 hours (${error.message}). Nothing more was sent. Try again when the 24-hour window has moved on (Setup → Company Information → API Requests, Last 24 Hours), or ask Salesforce to raise the allocation.`;
    case 'INVALID_TYPE':
    case 'INVALID_FIELD':
      return `${error.message} Is Synthetic Data Guard deployed to ${org}? Run sdg deploy --target-org ${org} first, and check the running user's permission sets.`;
    case 'API_DISABLED_FOR_ORG':
    case 'API_CURRENTLY_DISABLED':
      return `The API is not enabled for this user in ${org} (${error.message}). Assign a permission set with "API Enabled".`;
    default:
      return `${org} answered ${error.errorCode}: ${error.message}`;
  }
}

/** How to log in again, by the kind of login the sf CLI stored. */
export function reloginCommand(fields: Record<string, unknown>, alias: string): string {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  if (fields.privateKey)
    return `sf org login jwt --username ${text(fields.username) || alias} --client-id <consumer key> --jwt-key-file <key file> --alias ${alias} (the stored key file ${text(fields.privateKey)} must still exist)`;
  return `sf org login web --alias ${alias}`;
}

/** The API session of an org opened through @salesforce/core. */
export function sessionOf(org: Org, connection: Connection, alias: string): OrgSession {
  const fields = connection.getAuthInfoFields() as Record<string, unknown>;
  return {
    org: alias,
    username: org.getUsername() ?? alias,
    instanceUrl: connection.instanceUrl.replace(/\/$/, ''),
    accessToken: connection.accessToken ?? '',
    apiVersion: connection.getApiVersion(),
    // @salesforce/core renews every kind of login it stored: a refresh token (web login), a
    // new JWT bearer assertion (JWT login, and scratch orgs created from a JWT Dev Hub). It
    // throws for a bare access token, which cannot be renewed.
    refresh: async () => {
      await connection.refreshAuth();
      return connection.accessToken ?? '';
    },
    relogin: reloginCommand(fields, alias)
  };
}

/**
 * Opens an org by alias or username from the `sf` CLI's own auth store (`sf org login web
 * --alias prod` makes `--target-org prod` work here), through `@salesforce/core`.
 */
export async function openOrg(aliasOrUsername: string): Promise<Org> {
  // Loaded on demand: @salesforce/core is heavy and offline commands never need it.
  const { Org: OrgClass } = await import('@salesforce/core');
  try {
    return await OrgClass.create({ aliasOrUsername });
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (name === 'NamedOrgNotFoundError' || name === 'NoAuthInfoFound')
      throw new OrgConnectError(
        `No org "${aliasOrUsername}" in the sf CLI's logins. Log in first: sf org login web --alias ${aliasOrUsername} (or sf org login jwt in CI), then check with sf org list.`
      );
    throw new OrgConnectError(
      `Cannot open org "${aliasOrUsername}": ${(error as Error).message}. Check it with sf org display --target-org ${aliasOrUsername}.`
    );
  }
}

/** Connects to an org and returns the API client the commands use. */
export async function connectOrg(
  aliasOrUsername: string,
  retry?: RetryPolicy
): Promise<SalesforceApi> {
  const org = await openOrg(aliasOrUsername);
  return new SalesforceApi(sessionOf(org, org.getConnection(), aliasOrUsername), retry);
}

/** Runs `work`, turning API and login errors into a message that says what to do next. */
export async function withOrgErrors<T>(org: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof OrgApiError) throw new OrgConnectError(explainApiError(error, org));
    throw error;
  }
}
