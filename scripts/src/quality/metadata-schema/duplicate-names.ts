import { displayPath, Finding } from '../finding';
import { childText, PackageIndex } from '../package-index';

/**
 * Metadata types whose file lists named members, each by its `<fullName>` (CustomLabels: a list of
 * CustomLabel, each named by its fullName). A name given twice either fails the deploy or package
 * version build or silently keeps one of the two values; the schema check cannot see it. Every file
 * of the type counts as one list: labels split over several files still share one namespace.
 */
const NAMED_MEMBERS: Record<string, string> = { CustomLabels: 'labels' };

/**
 * Reports every member whose full name an earlier member of the same type already uses (the first
 * stays unreported; each repeat names where the first is).
 */
export function checkDuplicateNames(index: PackageIndex, cwd = process.cwd()): Finding[] {
  const findings: Finding[] = [];
  for (const [type, member] of Object.entries(NAMED_MEMBERS)) {
    const first = new Map<string, string>();
    for (const file of index.ofType(type)) {
      const shown = displayPath(file.file, cwd);
      for (const element of file.root.children.filter((child) => child.name === member)) {
        const name = childText(element, 'fullName');
        if (!name) continue;
        const where = `${shown}:${element.line}`;
        const earlier = first.get(name);
        if (earlier === undefined) {
          first.set(name, where);
          continue;
        }
        findings.push({
          file: shown,
          line: element.line,
          column: element.column,
          rule: 'metadata/duplicate-name',
          message: `<${member}> ${name} is already defined at ${earlier}: a label name must be unique (a repeat fails the deploy or silently replaces the other value). Remove this one, or give it its own name and use that name where it is read.`
        });
      }
    }
  }
  return findings;
}
