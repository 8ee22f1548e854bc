import fs from 'node:fs';

/**
 * The Chromium the screenshots and the report accessibility test drive: Debian's own package
 * (`apt-get install chromium`), or CHROMIUM_PATH. playwright-core never downloads a browser.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why Chromium cannot be used here, with what to do, or null when it can. */
export function chromiumMissing(): string | null {
  return fs.existsSync(CHROMIUM)
    ? null
    : `No Chromium at ${CHROMIUM}. Install Debian's: sudo apt-get install -y chromium (or set CHROMIUM_PATH to another Chromium build).`;
}
