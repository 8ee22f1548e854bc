import type { Finding } from './finding';
import { checkMetadataSchema } from './metadata-schema/metadata-check';
import { checkFieldMap } from './references/field-map-check';
import { checkReferences } from './references/reference-check';

/** What the Metadata API would refuse: schema errors and broken references (gate and deploy pre-flight). */
export function checkMetadata(directories: string[]): Finding[] {
  return [
    ...checkMetadataSchema(directories),
    ...checkReferences(directories),
    ...checkFieldMap(directories)
  ];
}
