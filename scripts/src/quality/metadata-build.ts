import {
  ComponentSet,
  ForceIgnore,
  MetadataConverter,
  SourceComponent
} from '@salesforce/source-deploy-retrieve';
import { XMLValidator } from 'fast-xml-parser';
import fs from 'node:fs';
import path from 'node:path';
import { displayPath, Finding } from './finding';

/** What a build produced: the deploy zip and what it holds, or the findings that stopped it. */
export interface MetadataBuildResult {
  zipPath?: string;
  components: { type: string; fullName: string }[];
  findings: Finding[];
}

/** Every file under `dir`, depth first, skipping what the Salesforce CLI never reads. */
function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith('.') ? [] : listFiles(full);
    return [full];
  });
}

/**
 * source-deploy-retrieve copies some XML unparsed (e.g. Apex `-meta.xml`), so a file that is not
 * well formed would only fail at deploy time. Check every XML file first.
 */
export function findMalformedXml(directories: string[], cwd = process.cwd()): Finding[] {
  return directories.flatMap((directory) =>
    listFiles(directory)
      .filter((file) => file.endsWith('.xml'))
      .flatMap((file) => {
        const verdict = XMLValidator.validate(fs.readFileSync(file, 'utf8'));
        if (verdict === true) return [];
        return [
          {
            file: displayPath(file, cwd),
            line: verdict.err.line,
            column: verdict.err.col,
            rule: `xml/${verdict.err.code}`,
            message: verdict.err.msg
          }
        ];
      })
  );
}

/**
 * Converts SFDX source into the Metadata API format and zips it, exactly as `sf project deploy
 * start` would before sending it. The zip is written to `outputDirectory/<zipName>`.
 */
export async function buildMetadata(
  packageDirectories: string[],
  outputDirectory: string,
  zipName = 'deploy.zip',
  cwd = process.cwd()
): Promise<MetadataBuildResult> {
  const malformed = findMalformedXml(packageDirectories, cwd);
  if (malformed.length > 0) return { components: [], findings: malformed };

  let components: ComponentSet;
  try {
    components = ComponentSet.fromSource({ fsPaths: packageDirectories });
  } catch (error) {
    return {
      components: [],
      findings: [conversionFinding(error, packageDirectories[0] ?? cwd, cwd)]
    };
  }
  const sourceComponents = components.getSourceComponents().toArray();
  const stray = findStrayFiles(packageDirectories, sourceComponents, cwd);
  if (stray.length > 0) return { components: [], findings: stray };
  try {
    // No packageName: SDR would write it as package.xml's <fullName>, and the Metadata API
    // would deploy every component into an unmanaged package of that name. The zip comes back
    // as a buffer and is written under the name asked for.
    const { zipBuffer } = await new MetadataConverter().convert(components, 'metadata', {
      type: 'zip'
    });
    const zipPath = path.join(outputDirectory, zipName);
    fs.mkdirSync(outputDirectory, { recursive: true });
    fs.writeFileSync(zipPath, zipBuffer ?? Buffer.alloc(0));
    return {
      zipPath,
      components: sourceComponents.map((component) => ({
        type: component.type.name,
        fullName: component.fullName
      })),
      findings: []
    };
  } catch (error) {
    return {
      components: [],
      findings: [conversionFinding(error, packageDirectories[0] ?? cwd, cwd)]
    };
  }
}

/** Every file a component (and its decomposed children) would send in a deploy. */
function filesOf(component: SourceComponent): string[] {
  return [
    ...(component.xml ? [component.xml] : []),
    ...(component.content ? component.walkContent() : []),
    ...component.getChildren().flatMap(filesOf)
  ];
}

/**
 * SDR silently skips a file it cannot attach to a component (e.g. a class without its
 * `-meta.xml`): it would never reach the org. Every file not ignored by `.forceignore` must belong
 * to a component.
 */
export function findStrayFiles(
  packageDirectories: string[],
  components: SourceComponent[],
  cwd = process.cwd()
): Finding[] {
  const claimed = new Set(components.flatMap(filesOf).map((file) => path.resolve(file)));
  return packageDirectories.flatMap((directory) => {
    const forceIgnore = ForceIgnore.findAndCreate(directory);
    return listFiles(directory)
      .filter((file) => !claimed.has(path.resolve(file)) && forceIgnore.accepts(file))
      .map((file) => ({
        file: displayPath(file, cwd),
        line: 1,
        rule: 'sdr/unresolved',
        message:
          'This file belongs to no metadata component and would not be deployed. ' +
          'Check its folder and name, and that its -meta.xml exists, or list it in .forceignore.'
      }));
  });
}

/** SDR errors name the offending file in their message; point the finding at it when they do. */
function conversionFinding(error: unknown, fallbackFile: string, cwd: string): Finding {
  const message = error instanceof Error ? error.message : String(error);
  const named = /(\/[^\s'"]+\.[A-Za-z-]+)/.exec(message)?.[1];
  return {
    file: displayPath(named ?? fallbackFile, cwd),
    line: 1,
    rule: 'sdr/conversion',
    message
  };
}
