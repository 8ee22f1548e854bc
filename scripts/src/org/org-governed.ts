import {
  configuredColumns,
  GovernedColumns,
  missingFieldsMessage,
  unknownObjectMessage
} from '../audit/governed-columns';
import type { PolicySet } from '../policy/package-policy';
import { GOVERNED_OBJECTS, governedObjectsOf } from '../provenance-model/schema';
import { UsageError } from '../cli/errors';
import { cascadeChildren, CascadeChild } from '../recall/recall-org-plan';
import type { DescribedChild } from './salesforce-api';
import type { SalesforceApi } from './salesforce-api';

/**
 * The objects an org's policy records govern beyond the five, each described once
 * (`sobjects/<Object>/describe`) for the columns it has and its name field (Task: Subject).
 * A policy naming an object the org lacks, or one without the provenance fields, is refused with
 * what to deploy: an audit or a recall that quietly left out an object the policy governs would
 * tell the auditor less than it claims.
 */
export async function readOrgGoverned(
  api: SalesforceApi,
  policy: PolicySet
): Promise<GovernedColumns[]> {
  const governed: GovernedColumns[] = [];
  for (const object of governedObjectsOf(policy)) {
    if ((GOVERNED_OBJECTS as readonly string[]).includes(object)) continue;
    const fields = await api.describeFields(object);
    if (!fields) throw new UsageError(unknownObjectMessage(object));
    const names = new Set(fields.map((f) => f.name.toLowerCase()));
    const { columns, missing } = configuredColumns(
      object,
      (field) => names.has(field.toLowerCase()),
      fields.find((f) => f.nameField)?.name
    );
    if (missing.length) throw new UsageError(missingFieldsMessage(object, missing));
    const parents = fields
      .filter((f) => f.cascadeDelete)
      .flatMap((f) => f.referenceTo.map((parent) => ({ field: f.name, parent })));
    governed.push({ object, columns, parents });
  }
  return governed;
}

/**
 * The governed records a delete takes with it on this org (cascadeChildren): each governed
 * object's describe for its child relationships, and each configured object's for IsArchived.
 * Read only when the org governs objects beyond the five (the five's children are fixed).
 */
export async function readCascadeChildren(
  api: SalesforceApi,
  governed: readonly string[]
): Promise<Record<string, CascadeChild[]>> {
  const configured = governed.filter((o) => !(GOVERNED_OBJECTS as readonly string[]).includes(o));
  const relations: Record<string, DescribedChild[]> = {};
  const archiving = new Set<string>();
  if (!configured.length) return cascadeChildren(governed);
  for (const parent of governed) {
    const described = await api.describe(parent);
    relations[parent] = described?.childRelationships ?? [];
    if (configured.includes(parent) && described?.fields.some((f) => f.name === 'IsArchived'))
      archiving.add(parent);
  }
  return cascadeChildren(governed, relations, archiving);
}
