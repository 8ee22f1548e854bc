import fs from 'node:fs';
import path from 'node:path';

/**
 * Creates a folder and its missing parents one level at a time. Node's recursive mkdir retries
 * forever on some file systems that refuse the create (it hangs on /proc); this fails at once
 * with the error of the level that could not be made.
 */
export function makeFolder(dir: string): void {
  const target = path.resolve(dir);
  const missing: string[] = [];
  let at = target;
  while (!fs.existsSync(at)) {
    missing.unshift(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const folder of missing) fs.mkdirSync(folder);
  if (!missing.length && !fs.statSync(target).isDirectory())
    throw Object.assign(new Error(`EEXIST: file already exists, mkdir '${target}'`), {
      code: 'EEXIST',
      path: target
    });
}

/** Makes a finished staging folder the destination; the destination's old content goes after. */
export function replaceFolder(staging: string, out: string): void {
  const target = path.resolve(out);
  if (!fs.existsSync(target)) {
    fs.renameSync(staging, target);
    return;
  }
  const aside = `${staging}.old`;
  fs.rmSync(aside, { recursive: true, force: true });
  fs.renameSync(target, aside);
  fs.renameSync(staging, target);
  fs.rmSync(aside, { recursive: true, force: true });
}
