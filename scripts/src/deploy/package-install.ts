import type { SalesforceApi } from '../org/salesforce-api';

/** Result of installing a package version. */
export interface InstallReport {
  id: string;
  packageVersion: string;
  status: string;
  errors: string[];
}

/** `04t` + 12 or 15 more characters: a subscriber package version id. */
export const PACKAGE_VERSION_ID = /^04t[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/;

/**
 * Installs a package version with a Tooling API PackageInstallRequest (what `sf package install`
 * does), blocking on name conflicts and compiling only the package's Apex, then waits for it.
 */
export async function installPackage(
  api: SalesforceApi,
  packageVersion: string,
  waitMinutes: number
): Promise<InstallReport> {
  const created: { id: string } = await api.json(
    'POST',
    '/tooling/sobjects/PackageInstallRequest',
    {
      SubscriberPackageVersionKey: packageVersion,
      NameConflictResolution: 'Block',
      SecurityType: 'None',
      ApexCompileType: 'package'
    }
  );
  const deadline = Date.now() + waitMinutes * 60_000;
  for (let poll = 0; ; poll++) {
    const request: { Status: string; Errors?: { errors?: { message: string }[] } | null } =
      await api.json('GET', `/tooling/sobjects/PackageInstallRequest/${created.id}`);
    if (request.Status === 'SUCCESS' || request.Status === 'ERROR')
      return {
        id: created.id,
        packageVersion,
        status: request.Status,
        errors: (request.Errors?.errors ?? []).map((e) => e.message)
      };
    if (Date.now() > deadline)
      return {
        id: created.id,
        packageVersion,
        status: 'TIMEOUT',
        errors: [
          `Still installing after ${waitMinutes} minutes. Follow it with: sf package install report --request-id ${created.id}`
        ]
      };
    await api.retry.sleep(Math.min(api.retry.baseDelayMs * 2 ** Math.min(poll, 3), 10_000));
  }
}
