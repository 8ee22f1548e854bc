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

const DOCS =
  'https://github.com/synthetic-data-guard/synthetic-data-guard/blob/main/docs/alerts.md';
const delivery = (n, channel, state, attempts, lastStatus, lastError = null) => ({
  id: `a0D5g00000Deliv${String(n).padStart(3, '0')}`,
  channel,
  action: 'trigger',
  state,
  attempts,
  lastStatus,
  lastError
});
const rule = (name, label, severity, channels, extra = {}) => ({
  name,
  label,
  active: true,
  kind: 'Event',
  severity,
  channels,
  dedupeWindowMinutes: 60,
  threshold: null,
  playbookUrl: `${DOCS}#${name.toLowerCase().replace(/_/g, '-')}`,
  ...extra
});
const channel = (name, label, type, target, active, activeRules) => ({
  name,
  label,
  active,
  type,
  target,
  maxAttempts: 5,
  activeRules
});

// A morning after a deepfake batch: PagerDuty took it, Slack is still retrying a 503.
const alertOverview = {
  canSendTest: true,
  alerts: [
    {
      id: 'a0C5g00000Alert001',
      name: 'AL-000142',
      rule: 'Deepfake media quarantined',
      severity: 'critical',
      status: 'Open',
      summary:
        'Deepfake media quarantined: 37 match(es) on Lead, reasons MEDIA_AI_MARKER, MEDIA_PROVENANCE_STRIPPED.',
      occurrences: 37,
      lastSeen: '2026-11-23T08:42:00.000Z',
      deliveryStatus: 'Pending',
      objectType: 'Lead',
      reviewRecordId: '00Q5g00000Xk2LmEAJ',
      playbookUrl: `${DOCS}#deepfake-media-quarantined`,
      deliveries: [
        delivery(1, 'PagerDuty', 'Delivered', 1, 202),
        delivery(2, 'Slack', 'Retrying', 2, 503, 'HTTP 503 from Slack: retrying in 2 min'),
        delivery(3, 'Incident_Case', 'Delivered', 1, null)
      ]
    },
    {
      id: 'a0C5g00000Alert002',
      name: 'AL-000141',
      rule: 'High-confidence synthetic record',
      severity: 'error',
      status: 'Acknowledged',
      summary: 'High-confidence synthetic record: 4 match(es) on Contact, reasons HIGH_CONFIDENCE.',
      occurrences: 4,
      lastSeen: '2026-11-23T07:15:00.000Z',
      deliveryStatus: 'Delivered',
      objectType: 'Contact',
      reviewRecordId: '0035g00000Rv9QaAAJ',
      playbookUrl: `${DOCS}#high-confidence-synthetic`,
      deliveries: [delivery(4, 'Slack', 'Delivered', 1, 200)]
    },
    {
      id: 'a0C5g00000Alert003',
      name: 'AL-000139',
      rule: 'Quarantine backlog',
      severity: 'warning',
      status: 'Resolved',
      summary: 'Quarantine backlog: cleared, Quarantine backlog is 212 (threshold 500).',
      occurrences: 6,
      lastSeen: '2026-11-22T22:00:00.000Z',
      deliveryStatus: 'Partially Failed',
      objectType: null,
      reviewRecordId: null,
      playbookUrl: `${DOCS}#quarantine-backlog`,
      deliveries: [
        delivery(5, 'Slack', 'Delivered', 1, 200),
        delivery(6, 'Teams', 'Skipped', 0, null, 'Alert channel Teams is not active.')
      ]
    }
  ],
  channels: [
    channel('Incident_Case', 'Case in the incident queue', 'Case', 'Synthetic_Incidents', true, 2),
    channel(
      'PagerDuty',
      'PagerDuty Events API v2',
      'PagerDuty',
      'Synthetic_Alert_PagerDuty',
      true,
      2
    ),
    channel('Slack', 'Slack incoming webhook', 'Slack', 'Synthetic_Alert_Slack', true, 6),
    channel('Teams', 'Microsoft Teams webhook', 'Teams', 'Synthetic_Alert_Teams', false, 0)
  ],
  rules: [
    rule(
      'Deepfake_Media_Quarantined',
      'Deepfake media quarantined',
      'critical',
      'PagerDuty, Slack, Incident_Case'
    ),
    rule('Audit_Chain_Broken', 'Audit chain broken', 'critical', 'PagerDuty, Incident_Case', {
      dedupeWindowMinutes: 1440
    }),
    rule('High_Confidence_Synthetic', 'High-confidence synthetic record', 'error', 'Slack'),
    rule('Quarantine_Backlog', 'Quarantine backlog', 'warning', 'Slack, Teams', {
      kind: 'Threshold',
      dedupeWindowMinutes: 1440,
      threshold: 'Quarantine backlog 500'
    }),
    rule('Enforcement_Bypassed', 'Enforcement bypassed', 'warning', 'Slack', { active: false })
  ]
};

// SyntheticBadgeController.getDisclosure answers for the site and file scenes: a guest gets the
// disclosure alone; a partner user the admin allowed, and a reviewer on a file page, the details.
const disclosures = {
  '00Q5g00000SiteGuest': { synthetic: true, detailsVisible: false },
  '00Q5g00000SitePartner': {
    synthetic: true,
    detailsVisible: true,
    status: 'Released',
    model: 'gpt-4o-2024-08-06',
    generatedAt: '2026-11-20T09:42:00.000Z',
    method: 'Trained algorithmic media (generative AI)',
    source: 'Product copy assistant',
    confidence: null,
    reasons: null
  },
  '0695g00000FilePage0': {
    synthetic: true,
    detailsVisible: true,
    status: 'Flagged',
    model: 'gpt-image-1',
    generatedAt: '2026-11-21T15:03:00.000Z',
    method: 'Trained algorithmic media (generative AI)',
    source: 'Marketing uploads',
    confidence: 98.5,
    reasons: 'MEDIA_AI_MARKER;UNDISCLOSED_AI_SIGNAL',
    mediaVerdict: 'AI-generated (declared)',
    mediaVerdictCode: 'ai-generated'
  }
};

export const apexHandlers = {
  'SyntheticBadgeController.getDisclosure': ({ recordId }) =>
    disclosures[recordId] ?? { synthetic: false, detailsVisible: false },
  'SyntheticAlertAdminController.getOverview': () => alertOverview,
  'SyntheticAlertAdminController.sendTestAlert': ({ channelName }) => ({
    id: 'a0C5g00000Alert999',
    rule: 'Test alert',
    severity: 'info',
    status: 'Open',
    summary: `Test alert on channel ${channelName}`
  }),
  'SyntheticRecallController.approve': () => '7075g00000PreviewAA',
  'SyntheticRecallController.cancel': () => null,
  'SyntheticRecallController.requestUndo': () => 'a0R5g00000Recall003',
  'SyntheticReviewController.getQueue': ({ status }) => {
    const rows = queueRows.filter((row) => !status || row.status === status);
    return { rows, hasMore: true, lastId: rows.at(-1)?.recordId ?? null };
  },
  // The governed objects by their labels in the user's language, as describe gives them.
  'SyntheticReviewController.getGovernedObjects': () =>
    [
      ['Lead', 'Lead'],
      ['Contact', 'Contact'],
      ['Account', 'Account'],
      ['Case', 'Case'],
      ['Opportunity', 'Opportunity']
    ].map(([apiName, label]) => ({ apiName, label })),
  'SyntheticReviewController.review': ({ recordIds }) =>
    recordIds.map((recordId) => ({ recordId, success: true, message: null })),
  'SyntheticAuditTimelineController.getTimeline': ({ recordId, rowLimit }) => {
    const timeline = timelines[recordId];
    return { ...timeline, events: timeline.events.slice(0, rowLimit) };
  }
};
