import fs from 'node:fs';
import path from 'node:path';

/** A code file (Apex, LWC JavaScript or template) read for the references it makes. */
export interface SourceText {
  file: string;
  text: string;
}

/** Every file under `dir` whose name ends with one of `suffixes`, skipping tests and dot folders. */
export function readSources(directories: string[], suffixes: string[]): SourceText[] {
  const found: SourceText[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && entry.name !== '__tests__') walk(full);
      } else if (suffixes.some((suffix) => entry.name.endsWith(suffix))) {
        found.push({ file: full, text: fs.readFileSync(full, 'utf8') });
      }
    }
  };
  directories.forEach(walk);
  return found.sort((a, b) => a.file.localeCompare(b.file));
}

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Blanks out comments (and, optionally, string literals) keeping every offset, so regular
 * expressions neither match commented-out code nor lose line numbers.
 */
export function maskComments(text: string, maskStrings = false): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|'(?:\\.|[^'\\\n])*'/g, (match) => {
    if (match.startsWith("'") && !maskStrings) return match;
    return match.replace(/[^\n]/g, ' ');
  });
}

/** Blanks out HTML comments in a template, keeping offsets. */
export function maskHtmlComments(text: string): string {
  return text.replace(/<!--[\s\S]*?-->/g, (match) => match.replace(/[^\n]/g, ' '));
}
