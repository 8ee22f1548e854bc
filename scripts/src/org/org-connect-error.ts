/**
 * The org cannot be used (no login, expired session, unreachable): the CLI exits 2 with this.
 * Its own module, so the CLI's error handling loads without the API client.
 */
export class OrgConnectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OrgConnectError';
  }
}
