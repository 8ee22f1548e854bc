/**
 * The playbook link of an alert rule (Apex twin: `PlaybookLink`; shared vectors
 * `force-app/test/alerts/staticresources/PlaybookLinkVectors.json`). A rule's absolute URL wins;
 * else its relative path, joined to the admin's Playbook Base URL when there is one. A value that
 * is not an http(s) URL is never sent as a link: channels name it in their text.
 */

/** Length of `Synthetic_Alert__c.Playbook_URL__c`. */
export const PLAYBOOK_MAX_LENGTH = 255;

const blank = (value: string | null | undefined): value is null | undefined | '' =>
  value === null || value === undefined || value.trim() === '';

/** The base and the path with exactly one slash between them, clipped to the URL field. */
export function joinPlaybook(
  base: string | null | undefined,
  path: string | null | undefined
): string | null {
  if (blank(path)) return null;
  const relative = path.trim().replace(/^\//, '');
  if (blank(base)) return relative;
  return `${base.trim().replace(/\/$/, '')}/${relative}`.slice(0, PLAYBOOK_MAX_LENGTH);
}

/** The rule's playbook: its absolute URL, else its path under the base (or alone). */
export function resolvePlaybook(
  url: string | null | undefined,
  path: string | null | undefined,
  base: string | null | undefined = null
): string | null {
  if (!blank(url)) return url.trim();
  return joinPlaybook(base, path);
}

/** Whether a resolved value may be sent as a link (an absolute http or https URL). */
export function isPlaybookLink(value: string | null | undefined): boolean {
  return typeof value === 'string' && /^https?:\/\/\S+$/i.test(value);
}
