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

export const apexHandlers = {
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
