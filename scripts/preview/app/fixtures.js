// Fixture data of the preview scenes: realistic provenance, queue pages and audit trails, in
// the shapes Lightning Data Service and the package's Apex controllers return.

const provenance = (status, extra = {}) => ({
  Synthetic_Data__c: { value: status !== 'Authentic', displayValue: null },
  // 'Synthetic' stands for a record marked synthetic before any review status was set.
  Synthetic_Status__c:
    status === 'Synthetic'
      ? { value: null, displayValue: null }
      : { value: status, displayValue: status },
  AI_Model__c: { value: 'gpt-4o-2024-08-06', displayValue: null },
  Generated_At__c: { value: '2026-11-20T09:42:00.000Z', displayValue: '20/11/2026, 09:42' },
  Generation_Method__c: {
    value: 'trainedAlgorithmicMedia',
    displayValue: 'Trained algorithmic media (generative AI)'
  },
  Provenance_Source__c: { value: 'LeadGen Copilot', displayValue: null },
  Synthetic_Confidence__c: { value: 97, displayValue: '97' },
  Synthetic_Reasons__c: { value: 'UNTRUSTED_MODEL;HIGH_CONFIDENCE', displayValue: null },
  ...extra
});

export const BADGE_STATES = [
  'Synthetic',
  'Unreviewed',
  'Flagged',
  'Quarantined',
  'Released',
  'Disclosed',
  'Rejected',
  'Authentic'
];

export const records = Object.fromEntries(
  BADGE_STATES.map((status, i) => [
    `00Q5g00000Preview${i}`,
    { apiName: 'Lead', id: `00Q5g00000Preview${i}`, fields: provenance(status) }
  ])
);

const people = [
  ['Maya Lindqvist', 'gpt-4o-2024-08-06', 'LeadGen Copilot', 'UNTRUSTED_MODEL', 97],
  [
    'Jonas Okafor',
    'claude-3-5-sonnet',
    'Enrichment Vendor A',
    'MISSING_SOURCE;REVIEW_CONFIDENCE',
    64
  ],
  ['Priya Raman', 'unknown', 'CSV import 2026-11-19', 'UNDISCLOSED_AI_SIGNAL', 88],
  ['Lucas Moreau', 'gpt-4o-mini', 'Webform bot', 'BULK_INJECTION_LIMIT', 91],
  ['Sofia Conti', 'llama-3.1-70b', 'Partner API', 'UNTRUSTED_MODEL;UNTRUSTED_SOURCE', 79],
  ['Kenji Watanabe', 'gemini-1.5-pro', 'LeadGen Copilot', 'MEDIA_AI_MARKER;HIGH_CONFIDENCE', 99],
  ['Amara Nwosu', 'gpt-4o-2024-08-06', 'Enrichment Vendor A', 'MISSING_SOURCE', 72]
];

const queueRows = people.map(([name, aiModel, source, reasons, confidence], i) => ({
  recordId: `00Q5g00000Queue${i}`,
  name,
  status: i % 3 === 1 ? 'Flagged' : 'Quarantined',
  aiModel,
  source,
  reasons,
  confidence,
  createdDate: `2026-11-2${i % 3}T0${i + 1}:1${i}:00.000Z`
}));

const timelines = {
  '00Q5g00000Timeline0': {
    chainState: 'INTACT',
    brokenAt: null,
    events: [
      {
        sequence: 1042,
        eventType: 'Release',
        decision: 'ACCEPT',
        reasons: null,
        actor: 'Rosa Reviewer',
        occurredAt: '2026-11-21T14:05:00.000Z',
        hashVerified: true,
        linkVerified: true
      },
      {
        sequence: 1017,
        eventType: 'Quarantine',
        decision: 'QUARANTINE',
        reasons: 'UNTRUSTED_MODEL;HIGH_CONFIDENCE',
        actor: 'Integration User',
        occurredAt: '2026-11-20T09:42:13.000Z',
        hashVerified: true,
        linkVerified: true
      },
      {
        sequence: 1016,
        eventType: 'Decision',
        decision: 'FLAG',
        reasons: 'REVIEW_CONFIDENCE',
        actor: 'Integration User',
        occurredAt: '2026-11-20T09:42:12.000Z',
        hashVerified: true,
        linkVerified: true
      }
    ]
  },
  '00Q5g00000Timeline1': {
    chainState: 'BROKEN',
    brokenAt: 2210,
    events: [
      {
        sequence: 2214,
        eventType: 'Reject',
        decision: 'REJECT',
        reasons: 'MEDIA_PROVENANCE_STRIPPED',
        actor: 'Rosa Reviewer',
        occurredAt: '2026-11-22T16:30:00.000Z',
        hashVerified: true,
        linkVerified: true
      },
      {
        sequence: 2210,
        eventType: 'Bypass',
        decision: 'ACCEPT',
        reasons: null,
        actor: 'Data Loader',
        occurredAt: '2026-11-22T08:01:00.000Z',
        hashVerified: false,
        linkVerified: true
      },
      {
        sequence: 2201,
        eventType: 'Quarantine',
        decision: 'QUARANTINE',
        reasons: 'MEDIA_AI_MARKER',
        actor: 'Integration User',
        occurredAt: '2026-11-21T19:12:00.000Z',
        hashVerified: true,
        linkVerified: true
      }
    ]
  }
};

const person = (name) => ({
  value: name ? { apiName: 'User', fields: { Name: { value: name, displayValue: null } } } : null,
  displayValue: name
});

const recall = (id, values) => ({
  apiName: 'Synthetic_Recall__c',
  id,
  fields: {
    ...Object.fromEntries(
      Object.entries(values.fields).map(([name, value]) => [name, { value, displayValue: null }])
    ),
    Requested_By__r: person(values.requester),
    Approved_By__r: person(values.approver ?? null)
  }
});

// Two recalls of the model behind the bad import: one waiting for a second person, one done.
Object.assign(records, {
  a0R5g00000Recall001: recall('a0R5g00000Recall001', {
    requester: 'Priya Nair (Compliance)',
    fields: {
      Name: 'RC-000012',
      Action__c: 'Quarantine',
      State__c: 'Requested',
      Planned_Count__c: 1284,
      Requested_By__c: '0055g00000Requester',
      Undoes__c: null
    }
  }),
  a0R5g00000Recall002: recall('a0R5g00000Recall002', {
    requester: 'Priya Nair (Compliance)',
    approver: 'Rey Okafor (Data Steward)',
    fields: {
      Name: 'RC-000012',
      Action__c: 'Quarantine',
      State__c: 'Partially Applied',
      Planned_Count__c: 1284,
      Applied_Count__c: 1281,
      Failed_Count__c: 2,
      Skipped_Count__c: 1,
      Requested_By__c: '0055g00000Requester',
      Undoes__c: null,
      Result_Summary__c: JSON.stringify({
        byObject: { Lead: { Applied: 1102, Failed: 2 }, Contact: { Applied: 179, Skipped: 1 } },
        failures: [
          '00Q5g00000Xk2LmEAJ: UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record',
          '00Q5g00000Xk2N1EAJ: FIELD_CUSTOM_VALIDATION_EXCEPTION: Postal code is required for EMEA leads'
        ]
      })
    }
  })
});

export const apexHandlers = {
  'SyntheticRecallController.approve': () => '7075g00000PreviewAA',
  'SyntheticRecallController.cancel': () => null,
  'SyntheticRecallController.requestUndo': () => 'a0R5g00000Recall003',
  'SyntheticReviewController.getQueue': ({ status }) => {
    const rows = queueRows.filter((row) => !status || row.status === status);
    return { rows, hasMore: true, lastId: rows.at(-1)?.recordId ?? null };
  },
  'SyntheticReviewController.review': ({ recordIds }) =>
    recordIds.map((recordId) => ({ recordId, success: true, message: null })),
  'SyntheticAuditTimelineController.getTimeline': ({ recordId, rowLimit }) => {
    const timeline = timelines[recordId];
    return { ...timeline, events: timeline.events.slice(0, rowLimit) };
  }
};
