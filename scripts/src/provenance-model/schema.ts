/**
 * Object and field API names the tooling reads and writes. The package metadata in `force-app`
 * is the source of truth; `schema.test.ts` fails if this module and the metadata disagree.
 */

/** The standard objects that carry provenance fields and are governed by policy. */
export const GOVERNED_OBJECTS = ['Lead', 'Contact', 'Account', 'Case', 'Opportunity'] as const;
export type GovernedObject = (typeof GOVERNED_OBJECTS)[number];

/** Each governed object's field history object and the column naming the record (its parent lookup). */
export const HISTORY_OBJECTS: Record<GovernedObject, { name: string; parent: string }> = {
  Lead: { name: 'LeadHistory', parent: 'LeadId' },
  Contact: { name: 'ContactHistory', parent: 'ContactId' },
  Account: { name: 'AccountHistory', parent: 'AccountId' },
  Case: { name: 'CaseHistory', parent: 'CaseId' },
  Opportunity: { name: 'OpportunityFieldHistory', parent: 'OpportunityId' }
};

/**
 * The objects a policy governs: the package's five, then every other object a policy record names
 * (`Governed_Object__c`; `sdg govern` adds them), in the policy's order. `Default` and files are
 * not records to audit; a key that is not an object API name is ignored.
 */
export function governedObjectsOf(policy?: { policies?: Record<string, unknown> }): string[] {
  const extra = Object.keys(policy?.policies ?? {}).filter(
    (name) =>
      /^[A-Za-z][A-Za-z0-9_]*$/.test(name) &&
      name !== 'Default' &&
      name !== FILE_OBJECT &&
      !(GOVERNED_OBJECTS as readonly string[]).includes(name)
  );
  return [...GOVERNED_OBJECTS, ...extra];
}

/** Files: ContentVersion carries the subset of provenance fields that fits files. */
export const FILE_OBJECT = 'ContentVersion';

/** Salesforce field types used by the provenance fields. */
export type FieldType = 'Checkbox' | 'Text' | 'DateTime' | 'Picklist' | 'Percent' | 'Lookup';

/** Provenance field API names, by the role the tooling gives them. */
export const PROVENANCE_FIELDS = {
  syntheticData: 'Synthetic_Data__c',
  aiModel: 'AI_Model__c',
  generatedAt: 'Generated_At__c',
  generationMethod: 'Generation_Method__c',
  provenanceSource: 'Provenance_Source__c',
  syntheticConfidence: 'Synthetic_Confidence__c',
  provenanceHash: 'Provenance_Hash__c',
  syntheticStatus: 'Synthetic_Status__c',
  syntheticReasons: 'Synthetic_Reasons__c',
  reviewedBy: 'Synthetic_Reviewed_By__c',
  reviewedAt: 'Synthetic_Reviewed_At__c',
  /** External id: the record's key in the sending system (upserts are idempotent by it). */
  sourceRecordId: 'Source_Record_Id__c',
  /** The import that wrote the record (write-once; recall selects by it). */
  provenanceBatch: 'Provenance_Batch__c'
} as const;
export type ProvenanceRole = keyof typeof PROVENANCE_FIELDS;

/** Type and size of each provenance field (what a CSV writer or validator must respect). */
export const PROVENANCE_FIELD_TYPES: Record<ProvenanceRole, { type: FieldType; length?: number }> =
  {
    syntheticData: { type: 'Checkbox' },
    aiModel: { type: 'Text', length: 255 },
    generatedAt: { type: 'DateTime' },
    generationMethod: { type: 'Picklist' },
    provenanceSource: { type: 'Text', length: 255 },
    syntheticConfidence: { type: 'Percent' },
    provenanceHash: { type: 'Text', length: 64 },
    syntheticStatus: { type: 'Picklist' },
    syntheticReasons: { type: 'Text', length: 255 },
    reviewedBy: { type: 'Lookup' },
    reviewedAt: { type: 'DateTime' },
    sourceRecordId: { type: 'Text', length: 255 },
    provenanceBatch: { type: 'Text', length: 80 }
  };

/** Files are reviewed through the records they are linked to, so they carry no reviewer fields. */
export const FILE_PROVENANCE_ROLES: readonly ProvenanceRole[] = [
  'syntheticData',
  'aiModel',
  'generatedAt',
  'generationMethod',
  'provenanceSource',
  'syntheticConfidence',
  'provenanceHash',
  'syntheticStatus',
  'syntheticReasons'
];

/** What the media scan job (MediaScanJob) writes on each file version; no persona may edit them. */
export const MEDIA_SCAN_FIELDS = {
  verdict: 'Media_Scan_Verdict__c',
  details: 'Media_Scan_Details__c',
  /** SHA-256 of the file's bytes: never Provenance_Hash__c, which is write-once content provenance. */
  byteHash: 'Media_Byte_Hash__c',
  /** Where the file stands with the deepfake detector: waiting, sent or failed (MediaScanSweep sends). */
  detectorStatus: 'Media_Detector_Status__c'
} as const;

/**
 * `Media_Scan_Verdict__c` values: the scanner's verdicts (`sdg scan` prints the same) and the
 * platform's own states: pending until the job runs, too-large past the heap-bound scan limit,
 * not-scanned when the scan stopped on its CPU budget or failed.
 */
export const MEDIA_SCAN_VERDICTS = [
  'pending',
  'ai-generated',
  'provenance-stripped',
  'provenance-present',
  'remote-manifest',
  'no-marker',
  'unreadable',
  'unsupported',
  'malformed',
  'too-large',
  'not-scanned'
] as const;

/** Fields whose history Salesforce tracks on the governed objects. */
export const HISTORY_TRACKED_ROLES: readonly ProvenanceRole[] = [
  'syntheticData',
  'syntheticStatus'
];

/** `Synthetic_Status__c` values, in review order. */
export const SYNTHETIC_STATUSES = [
  'Unreviewed',
  'Authentic',
  'Disclosed',
  'Flagged',
  'Quarantined',
  'Released',
  'Rejected'
] as const;
export type SyntheticStatus = (typeof SYNTHETIC_STATUSES)[number];

/**
 * `Generation_Method__c` values: IPTC NewsCodes DigitalSourceType terms
 * (http://cv.iptc.org/newscodes/digitalsourcetype/), including two retired terms older tools still write.
 */
export const GENERATION_METHODS = [
  'digitalCapture',
  'computationalCapture',
  'screenCapture',
  'negativeFilm',
  'positiveFilm',
  'print',
  'humanEdits',
  'compositeCapture',
  'algorithmicallyEnhanced',
  'digitalCreation',
  'dataDrivenMedia',
  'trainedAlgorithmicMedia',
  'compositeWithTrainedAlgorithmicMedia',
  'algorithmicMedia',
  'compositeSynthetic',
  'virtualRecording',
  'minorHumanEdits',
  'digitalArt'
] as const;
export type GenerationMethod = (typeof GENERATION_METHODS)[number];

/** Policy enforcement modes (`Synthetic_Policy__mdt.Enforcement_Mode__c`). */
export const ENFORCEMENT_MODES = ['Off', 'Monitor', 'Flag', 'Quarantine', 'Reject'] as const;
export type EnforcementMode = (typeof ENFORCEMENT_MODES)[number];

/** The policy custom metadata type and its fields. */
export const POLICY_TYPE = {
  name: 'Synthetic_Policy__mdt',
  defaultRecord: 'Default',
  fields: {
    governedObject: 'Governed_Object__c',
    enforcementMode: 'Enforcement_Mode__c',
    requiredFields: 'Required_Fields__c',
    reviewThreshold: 'Review_Threshold__c',
    quarantineThreshold: 'Quarantine_Threshold__c',
    maxSyntheticPerTransaction: 'Max_Synthetic_Per_Transaction__c',
    maxSyntheticPerSourcePerHour: 'Max_Synthetic_Per_Source_Hour__c',
    allowSync: 'Allow_Sync__c',
    rejectedRetentionDays: 'Rejected_Retention_Days__c',
    provenanceOverwrite: 'Provenance_Overwrite__c',
    syntheticRetentionDays: 'Synthetic_Retention_Days__c',
    retentionAction: 'Retention_Action__c',
    detectorMode: 'Detector_Mode__c',
    protectFromDelete: 'Protect_From_Delete__c',
    automatedDecisions: 'Automated_Decisions__c'
  }
} as const;

/** The trusted model/source registry custom metadata type and its fields. */
export const TRUSTED_SOURCE_TYPE = {
  name: 'Trusted_AI_Source__mdt',
  fields: {
    pattern: 'Pattern__c',
    matchType: 'Match_Type__c',
    appliesTo: 'Applies_To__c',
    provider: 'Provider__c',
    trusted: 'Trusted__c',
    notes: 'Notes__c',
    expiresOn: 'Expires_On__c'
  }
} as const;

/** The hierarchy custom setting holding the per-user kill switch. */
export const GUARD_SETTINGS = {
  name: 'Synthetic_Guard_Settings__c',
  fields: {
    disableEnforcement: 'Disable_Enforcement__c',
    playbookBaseUrl: 'Playbook_Base_URL__c'
  }
} as const;

/** Signing and retention of the audit chain (hierarchy custom setting, org default). */
export const AUDIT_SETTINGS = {
  name: 'Synthetic_Audit_Settings__c',
  fields: {
    certificateName: 'Certificate_Name__c',
    hmacKey: 'HMAC_Key__c',
    keyId: 'Key_Id__c',
    checkpointInterval: 'Checkpoint_Interval__c',
    retentionDays: 'Retention_Days__c',
    allowUnauditedSaves: 'Allow_Unaudited_Saves__c',
    timestampCheckpoints: 'Timestamp_Checkpoints__c'
  }
} as const;

/** Detection vendors allowed to call back, with their Standard Webhooks secrets (protected list setting). */
export const DETECTOR_SETTINGS = {
  name: 'Synthetic_Detector__c',
  fields: { signingSecret: 'Signing_Secret__c', vendor: 'Vendor__c', active: 'Active__c' }
} as const;

/** Detector results received on /synthetic/v1/detections; the unique delivery id refuses replays. */
export const DETECTION = {
  name: 'Synthetic_Detection__c',
  fields: {
    deliveryId: 'Delivery_Id__c',
    recordId: 'Record_Id__c',
    vendor: 'Vendor__c',
    detectorModel: 'Detector_Model__c',
    label: 'Label__c',
    score: 'Score__c',
    evidenceUrl: 'Evidence_Url__c',
    signedAt: 'Signed_At__c'
  }
} as const;

/** A recall (selector, action, two-person approval, state, counts). */
export const RECALL = {
  name: 'Synthetic_Recall__c',
  item: 'Synthetic_Recall_Item__c',
  fields: {
    action: 'Action__c',
    state: 'State__c',
    selector: 'Selector__c',
    query: 'Query__c',
    plannedCount: 'Planned_Count__c',
    appliedCount: 'Applied_Count__c',
    failedCount: 'Failed_Count__c',
    skippedCount: 'Skipped_Count__c',
    requestedBy: 'Requested_By__c',
    approvedBy: 'Approved_By__c',
    approvedAt: 'Approved_At__c',
    completedAt: 'Completed_At__c',
    resultSummary: 'Result_Summary__c',
    undoes: 'Undoes__c'
  }
} as const;

/** A recall's per-record item: the full backup taken before the change, and the result. */
export const RECALL_ITEM = {
  name: 'Synthetic_Recall_Item__c',
  fields: {
    recall: 'Recall__c',
    itemKey: 'Item_Key__c',
    objectType: 'Object_Type__c',
    recordId: 'Record_Id__c',
    backup: 'Backup__c',
    changedFields: 'Changed_Fields__c',
    result: 'Result__c',
    message: 'Message__c'
  }
} as const;

/** The append-only audit event object. */
export const AUDIT_EVENT = {
  name: 'Synthetic_Audit_Event__c',
  fields: {
    sequence: 'Sequence__c',
    eventType: 'Event_Type__c',
    recordId: 'Record_Id__c',
    recordLink: 'Record_Link__c',
    objectType: 'Object_Type__c',
    actingUser: 'Acting_User__c',
    decision: 'Decision__c',
    reasonCodes: 'Reason_Codes__c',
    payload: 'Payload__c',
    previousHash: 'Previous_Hash__c',
    hash: 'Hash__c',
    signature: 'Signature__c',
    occurredAt: 'Occurred_At__c',
    eventKey: 'Event_Key__c',
    timestampRequest: 'Timestamp_Request__c',
    timestampToken: 'Timestamp_Token__c',
    timestampStatus: 'Timestamp_Status__c'
  }
} as const;

/** The platform event enforcement publishes; its subscriber appends to the audit chain. */
export const AUDIT_PLATFORM_EVENT = {
  name: 'Synthetic_Audit__e',
  fields: {
    eventType: 'Event_Type__c',
    recordId: 'Record_Id__c',
    objectType: 'Object_Type__c',
    actingUserId: 'Acting_User_Id__c',
    decision: 'Decision__c',
    reasonCodes: 'Reason_Codes__c',
    payload: 'Payload__c',
    occurredAt: 'Occurred_At__c',
    eventKey: 'Event_Key__c'
  }
} as const;

/** `Event_Type__c` values of audit events. */
export const AUDIT_EVENT_TYPES = [
  'Decision',
  'Quarantine',
  'Release',
  'Reject',
  'Confirm',
  'Bypass',
  'StatusChange',
  'PolicyChange',
  'Checkpoint',
  'Purge',
  'IngestionRefused',
  'Detection',
  'Recall',
  'Retention',
  'Rollback',
  'AppendFailure',
  'Converted',
  'Merged',
  'Deleted',
  'Undeleted',
  'ContentEdited',
  'DeleteRefused',
  // Erasure (#30): a record's personal data erased; Expiry: backups and detector evidence past retention.
  'Erasure',
  'Expiry'
] as const;

/** Policy decisions. */
export const DECISIONS = ['ACCEPT', 'FLAG', 'QUARANTINE', 'REJECT'] as const;
export type Decision = (typeof DECISIONS)[number];

/** Custom permissions. */
export const CUSTOM_PERMISSIONS = {
  review: 'Review_Synthetic_Data',
  bypass: 'Bypass_Synthetic_Enforcement',
  administer: 'Administer_Synthetic_Policy',
  ingest: 'Ingest_Synthetic_Data',
  requestRecall: 'Request_Synthetic_Recall',
  /** sdg scan --target-org writes verdicts back through /synthetic/v1/media-scans. */
  submitExternalScan: 'Submit_External_Scan',
  /** Sees the badge's details (review state, model, source, reasons) on sites and file pages. */
  viewProvenance: 'View_Synthetic_Provenance'
} as const;

/** Permission sets, one per persona. */
export const PERMISSION_SETS = {
  admin: 'Synthetic_Data_Admin',
  reviewer: 'Synthetic_Data_Reviewer',
  user: 'Synthetic_Data_User',
  integration: 'Synthetic_Data_Integration',
  bypass: 'Synthetic_Data_Bypass',
  /** The user alerts are sent as: the alert channels' Named Credential principals. */
  alertSender: 'Synthetic_Alert_Sender',
  /** Site and portal users (and the guest user): the badge's disclosure only. */
  disclosureViewer: 'Synthetic_Disclosure_Viewer',
  /** Users who may see the badge's details on sites and file pages. */
  provenanceViewer: 'Synthetic_Provenance_Viewer'
} as const;

/** The queue that owns quarantined Leads and Cases. */
export const QUARANTINE_QUEUE = 'Synthetic_Quarantine';

/** Fields the platform sets on every record, never a sender or an import. */
export const PLATFORM_SYSTEM_FIELDS = [
  'Id',
  'IsDeleted',
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
  'SystemModstamp',
  'LastActivityDate',
  'LastViewedDate',
  'LastReferencedDate'
] as const;

/**
 * Fields the trigger derives from the policy on every save, beside provenance (#30): not in
 * ProvenanceFields or the content hash, on every governed object but files.
 */
export const DERIVED_FIELDS = {
  /** Whether the record may feed automated decisions (Automated_Decisions__c; GDPR Art. 22). */
  automatedDecisionEligible: 'Automated_Decision_Eligible__c'
} as const;

/**
 * Record fields an object governed by configuration (`sdg govern`) may lack: Task and Event take
 * no custom lookup to User. Twin of ProvenanceFields.OPTIONAL_RECORD_FIELDS; every other record
 * field is required, and the Apex refuses a governed object without one (a configuration error).
 */
export const OPTIONAL_PROVENANCE_FIELDS: readonly string[] = [PROVENANCE_FIELDS.reviewedBy];

/**
 * Provenance field API names an object carries: files their subset, every other governed object
 * (the package's five and those a policy record governs) the record fields. An object governed by
 * configuration may lack the OPTIONAL_PROVENANCE_FIELDS (the Apex drops those its describe lacks).
 */
export function provenanceFieldsOf(objectName: string): string[] {
  if (objectName === FILE_OBJECT)
    return [
      ...FILE_PROVENANCE_ROLES.map((role) => PROVENANCE_FIELDS[role]),
      ...Object.values(MEDIA_SCAN_FIELDS)
    ];
  return (Object.keys(PROVENANCE_FIELDS) as ProvenanceRole[]).map(
    (role) => PROVENANCE_FIELDS[role]
  );
}
