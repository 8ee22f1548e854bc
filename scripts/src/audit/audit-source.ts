import fs from 'node:fs';
import path from 'node:path';
import type { AuditEvent } from '../audit-chain/canonical';
import { ExportFormatError, readAuditExport } from '../audit-chain/export-reader';
import { GovernedObject, PROVENANCE_FIELDS } from '../provenance-model/schema';
import { EXPORT_FILES, OBJECT_ORDER } from '../seed/export-layout';
import { ExportRow, readCsvRows } from './record-reader';

/** Where an audit reads from: an export folder or an org. `null` means "not in this source". */
export interface AuditSource {
  /** Named in the reports ("reports/sample-export", "org prod"). */
  label: string;
  events(): AsyncIterable<AuditEvent> | null;
  records(object: GovernedObject): AsyncIterable<ExportRow> | null;
}

/** Columns without which an object's rows cannot be audited. */
export const REQUIRED_COLUMNS = [
  'Id',
  PROVENANCE_FIELDS.syntheticData,
  PROVENANCE_FIELDS.syntheticStatus
];

/** An export folder: `<Object>.csv` per governed object and `Synthetic_Audit_Event__c.csv`. */
export function folderSource(dir: string): AuditSource {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    throw new ExportFormatError(`${dir}: no such export folder.`);
  const eventsFile = path.join(dir, EXPORT_FILES.auditEvents);
  const objectFile = (object: GovernedObject) => path.join(dir, EXPORT_FILES.object(object));
  if (!fs.existsSync(eventsFile) && !OBJECT_ORDER.some((o) => fs.existsSync(objectFile(o))))
    throw new ExportFormatError(
      `${dir}: no export files found. Expected ${OBJECT_ORDER.map((o) => EXPORT_FILES.object(o)).join(', ')} and/or ${EXPORT_FILES.auditEvents}.`
    );
  return {
    label: dir,
    events: () => (fs.existsSync(eventsFile) ? readAuditExport(eventsFile) : null),
    records: (object) =>
      fs.existsSync(objectFile(object)) ? readCsvRows(objectFile(object), REQUIRED_COLUMNS) : null
  };
}
