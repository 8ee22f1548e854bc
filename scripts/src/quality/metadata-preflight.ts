import type { Finding } from './finding';
import { checkDuplicateNames } from './metadata-schema/duplicate-names';
import { checkMetadataSchema } from './metadata-schema/metadata-check';
import { MetadataTypes } from './metadata-schema/metadata-types';
import { checkRecordPatterns } from './metadata-schema/record-patterns';
import { TextValueChecker } from './metadata-schema/text-values';
import { PackageIndex } from './package-index';
import { checkFieldMap } from './references/field-map-check';
import { checkReferences } from './references/reference-check';

/**
 * What the Metadata API would refuse or store wrongly: schema errors, broken references, text
 * values whose whitespace the org would keep, custom metadata records their own validation rules
 * reject, and members named twice (gate and deploy pre-flight).
 */
export function checkMetadata(directories: string[]): Finding[] {
  const types = MetadataTypes.load();
  const index = PackageIndex.load(directories);
  return [
    ...checkMetadataSchema(directories, types),
    ...checkReferences(directories),
    ...new TextValueChecker(index, types).check(),
    ...checkRecordPatterns(index),
    ...checkDuplicateNames(index),
    ...checkFieldMap(directories)
  ];
}
