import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root';
import { FieldChange, readHistory, restoration, RESTORE_LABELS } from './recall-history';
import { loadHistoryVectors } from './recall-vectors';

// As Apex RecallHistoryTest builds them: a lookup change writes a name row and an Id row
// (DataType EntityId) at one time, in no guaranteed order.
const SINCE = Date.parse('2026-01-01T00:00:00.000Z');
const IN_WINDOW = SINCE + 86_400_000;
const row = (field: string, oldValue: string, dataType: string | null = 'Text'): FieldChange => ({
  field,
  dataType,
  oldValue,
  at: IN_WINDOW
});
const idRow = (field: string, oldValue: string) => row(field, oldValue, 'EntityId');
const BEFORE = '001000000000001AAA';

describe('restore from field history: lookups as Apex RecallHistory reads them', () => {
  it("puts back a Contact's AccountId from the Id row, not the Account name row", () => {
    for (const changes of [
      [idRow('Account', BEFORE), row('Account', 'Before')],
      [row('Account', 'Before'), idRow('Account', BEFORE)]
    ])
      expect(restoration(changes, SINCE, Infinity, new Set(['Account']))).toEqual({
        values: new Map([['AccountId', BEFORE]])
      });
  });

  it("skips the name row of every lookup with an Id row in the history files, a custom one's too", () => {
    const changes = [
      row('Reviewer__c', 'Ana Reviewer', ''),
      idRow('Reviewer__c', '005000000000001AAA'),
      row('ReportsTo', 'Bo Manager'),
      idRow('ReportsTo', '003000000000001AAA'),
      row('Email', 'before@example.com')
    ];
    const lookups = new Set(['Reviewer__c', 'ReportsTo']);
    expect(restoration(changes, SINCE, Infinity, lookups)).toEqual({
      values: new Map([
        ['Reviewer__c', '005000000000001AAA'],
        ['ReportsToId', '003000000000001AAA'],
        ['Email', 'before@example.com']
      ])
    });
  });

  it('skips a row whose field is not a column of the export (columns in any case) and keeps the rest', () => {
    const changes = [
      row('Legacy_Score__c', '7'),
      row('Email', 'before@example.com'),
      idRow('Account', BEFORE)
    ];
    const columns = new Set(['id', 'email', 'accountid']);
    expect(restoration(changes, SINCE, Infinity, new Set(['Account']), columns)).toEqual({
      values: new Map([
        ['Email', 'before@example.com'],
        ['AccountId', BEFORE]
      ])
    });
    expect(restoration([row('Legacy_Score__c', '7')], SINCE, Infinity, new Set(), columns)).toEqual(
      { cannot: 'no field history in the window' }
    );
  });

  it('restores nothing from name rows alone: no field history in the window', () => {
    expect(restoration([row('Account', 'Before')], SINCE, Infinity, new Set(['Account']))).toEqual({
      cannot: 'no field history in the window'
    });
  });

  it('without the DataType column skips both rows of a lookup change and keeps other fields', () => {
    const changes = [
      row('Account', 'Before', null),
      row('Account', BEFORE, null),
      row('Owner', 'Ana', null),
      row('Email', 'before@example.com', null)
    ];
    expect(restoration(changes, SINCE, Infinity)).toEqual({
      values: new Map([['Email', 'before@example.com']])
    });
  });

  it('learns the lookups from Id rows of any record in the history file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-recall-history-'));
    try {
      const file = path.join(dir, 'ContactHistory.csv');
      const at = new Date(IN_WINDOW).toISOString();
      fs.writeFileSync(
        file,
        [
          'ContactId,Field,DataType,OldValue,NewValue,CreatedDate',
          // Only the planned contact's name row is in the file: another contact's Id row says
          // Account is a lookup.
          `003000000000001AAA,Account,Text,Before,After,${at}`,
          `003000000000002AAA,Account,EntityId,${BEFORE},001000000000002AAA,${at}`,
          ''
        ].join('\n')
      );
      const lookups = new Set<string>();
      const history = await readHistory(file, 'Contact', new Set(['003000000000001AAA']), lookups);
      expect([...lookups]).toEqual(['Account']);
      expect(restoration(history.get('003000000000001AAA'), SINCE, Infinity, lookups)).toEqual({
        cannot: 'no field history in the window'
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(loadHistoryVectors().vectors.map((v) => [v.name, v] as const))(
    'shared vector %s: puts back what Apex RecallHistory puts back',
    (_name, vector) => {
      const changes = vector.rows.map((r) => row(r.field, r.oldValue ?? '', r.dataType));
      // A lookup change always writes an Id row: the file's Id rows name the lookups.
      const lookups = new Set(
        vector.rows.filter((r) => r.dataType === 'EntityId').map((r) => r.field)
      );
      const columns = vector.columns && new Set(vector.columns.map((c) => c.toLowerCase()));
      const restored = restoration(changes, SINCE, Infinity, lookups, columns);
      expect('values' in restored ? Object.fromEntries(restored.values) : null).toEqual(
        vector.expected
      );
    }
  );
});

describe('restore messages: the org labels word for word', () => {
  const labels = fs.readFileSync(
    path.join(PROJECT_ROOT, 'force-app/main/labels/labels/CustomLabels.labels-meta.xml'),
    'utf8'
  );
  const valueOf = (name: string): string | undefined =>
    new RegExp(`<fullName>${name}</fullName>[\\s\\S]*?<value>([^<]*)</value>`).exec(labels)?.[1];

  it.each([
    ['SDG_Recall_Cannot_Restore', RESTORE_LABELS.cannotRestore],
    ['SDG_Recall_Restore_No_History', RESTORE_LABELS.noHistory]
  ])('%s reads as the offline report writes it', (name, text) => {
    expect(valueOf(name)).toBe(text);
  });
});
