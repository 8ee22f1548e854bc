import { UsageError } from '../cli/errors';
import { GOVERNED_OBJECTS } from '../provenance-model/schema';

/** How `sdg govern` treats an object: where its fields live and what it can take. */
export interface GovernTarget {
  /** The object's API name, as given. */
  object: string;
  custom: boolean;
  /** The folder (under objects/) its custom fields go in: Task and Event share Activity's. */
  fieldObject: string;
  /** Provenance fields it cannot take, with the reason shown to the admin. */
  skippedFields: Record<string, string>;
  /** Field attributes it cannot take (removed from every field), with the reason. */
  droppedAttributes: Record<string, string>;
  /** Whether a list view and a report type on it can be generated. */
  listView: boolean;
  reportType: boolean;
}

/** Endings of custom kinds that cannot have Apex triggers or custom fields of their own. */
const REFUSED_SUFFIXES: Record<string, string> = {
  __mdt: 'a custom metadata type has no Apex triggers',
  __e: 'a platform event is not stored as records the package can quarantine',
  __x: 'an external object cannot have Apex triggers',
  __b: 'a big object cannot have Apex triggers',
  __Share: 'a share object cannot have Apex triggers or custom fields',
  __History: 'a history object cannot have Apex triggers or custom fields',
  __Feed: 'a feed object cannot have Apex triggers or custom fields',
  __ChangeEvent: 'a change event is not stored as records the package can quarantine',
  __kav: 'a knowledge article version is governed through Knowledge, not a record trigger'
};

const ACTIVITY_LIMITS = {
  skippedFields: {
    Synthetic_Reviewed_By__c:
      'Task and Event take no custom lookup to User; the reviewer stays in the audit trail'
  },
  droppedAttributes: {
    trackHistory:
      'Task and Event history is Activity field history, an org setting the package cannot assume: the fields deploy untracked (see the next steps)'
  },
  listView: false,
  reportType: false
};

/**
 * Standard objects that take both Apex triggers and custom fields, and what else they take. A
 * standard object not listed is refused rather than guessed: the admin asks for it to be added.
 */
const STANDARD_OBJECTS: Record<
  string,
  Omit<GovernTarget, 'object' | 'custom' | 'fieldObject'> & { fieldObject?: string }
> = {
  Task: { ...ACTIVITY_LIMITS, fieldObject: 'Activity' },
  Event: { ...ACTIVITY_LIMITS, fieldObject: 'Activity' },
  ...Object.fromEntries(
    [
      'Asset',
      'Campaign',
      'CampaignMember',
      'Contract',
      'EmailMessage',
      'Order',
      'Product2',
      'Quote',
      'Solution',
      'WorkOrder'
    ].map((name) => [
      name,
      { skippedFields: {}, droppedAttributes: {}, listView: true, reportType: true }
    ])
  )
};

const API_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*(?:__[A-Za-z]+)?$/;

/** The API names `sdg govern` accepts for standard objects. */
export const GOVERNABLE_STANDARD_OBJECTS = Object.keys(STANDARD_OBJECTS).sort();

/**
 * What governing `object` means, or a UsageError (exit 2) saying why it cannot be governed: not
 * an API name, already governed by the package, or a kind without triggers or custom fields.
 */
export function governTargetOf(object: string): GovernTarget {
  if (!API_NAME.test(object) || object.endsWith('_'))
    throw new UsageError(
      `"${object}" is not an object API name: give the API name from Setup > Object Manager (for example Invoice__c or Task), not its label.`
    );
  if ((GOVERNED_OBJECTS as readonly string[]).includes(object) || object === 'ContentVersion')
    throw new UsageError(
      `${object} is already governed by the package: nothing to generate. Assign the package's permission sets instead.`
    );
  const suffix = Object.keys(REFUSED_SUFFIXES).find((s) => object.endsWith(s));
  if (suffix)
    throw new UsageError(
      `${object} cannot be governed: ${REFUSED_SUFFIXES[suffix]}. Govern a custom object (__c) or one of ${GOVERNABLE_STANDARD_OBJECTS.join(', ')}.`
    );
  if (object.endsWith('__c'))
    return {
      object,
      custom: true,
      fieldObject: object,
      skippedFields: {},
      droppedAttributes: {},
      listView: true,
      reportType: true
    };
  const standard = STANDARD_OBJECTS[object];
  if (!standard)
    throw new UsageError(
      `${object} is not a standard object sdg govern knows takes both Apex triggers and custom fields. Govern a custom object (__c) or one of ${GOVERNABLE_STANDARD_OBJECTS.join(', ')}.`
    );
  return { object, custom: false, ...standard, fieldObject: standard.fieldObject ?? object };
}
