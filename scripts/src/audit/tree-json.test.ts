import { Readable } from 'node:stream';
import { readTreeRowBatches, readTreeRows, TreeColumns, TreeRow } from './tree-json';

const KNOWN = ['Id', 'Name', 'AccountId', 'Synthetic_Data__c', 'Email'];

function entry(text: string, size = 1 << 20) {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return { where: 'Accounts.json', open: () => Promise.resolve(Readable.from(chunks)) };
}

async function rowsOf(text: string, columns?: TreeColumns, size?: number): Promise<TreeRow[]> {
  const rows: TreeRow[] = [];
  for await (const batch of readTreeRowBatches(entry(text, size), KNOWN, null, columns))
    rows.push(...batch);
  return rows;
}

const TREE = JSON.stringify({
  records: [
    {
      attributes: { type: 'Account', referenceId: 'AccountRef1' },
      NAME: 'Harbor',
      synthetic_data__c: true,
      NumberOfEmployees: 12,
      Description: null,
      Parent: { attributes: { type: 'Account' }, Name: 'Holding' },
      Contacts: {
        records: [
          {
            attributes: { type: 'Contact', referenceId: 'C1' },
            LastName: 'Okafor',
            email: 'a@b.c'
          },
          { attributes: { type: 'Contact', referenceId: 'C2' }, AccountId: '@AccountRef9' }
        ]
      }
    },
    { attributes: { type: 'Account' }, Id: '001000000000001AAA', Name: 'Northwind' }
  ]
});

describe('readTreeRowBatches', () => {
  it('flattens records and their children, names in canonical spelling, values as text', async () => {
    const rows = await rowsOf(TREE);
    expect(rows.map((r) => [r.type, r.key, r.where, r.fields])).toEqual([
      [
        'Account',
        'AccountRef1',
        'Accounts.json: record 1',
        {
          Name: 'Harbor',
          Synthetic_Data__c: 'true',
          NumberOfEmployees: '12',
          Description: '',
          'Parent.Name': 'Holding'
        }
      ],
      [
        'Contact',
        'C1',
        'Accounts.json: record 1 Contacts[1]',
        { LastName: 'Okafor', Email: 'a@b.c', AccountId: 'AccountRef1' }
      ],
      ['Contact', 'C2', 'Accounts.json: record 1 Contacts[2]', { AccountId: 'AccountRef9' }],
      [
        'Account',
        '001000000000001AAA',
        'Accounts.json: record 2',
        { Id: '001000000000001AAA', Name: 'Northwind' }
      ]
    ]);
  });

  it('collects each type’s columns in the order first seen, as the union of its records’ fields', async () => {
    const columns: TreeColumns = new Map();
    const rows = await rowsOf(TREE, columns, 7);
    const union = new Map<string, Set<string>>();
    for (const row of rows) {
      let set = union.get(row.type);
      if (!set) union.set(row.type, (set = new Set()));
      for (const name of Object.keys(row.fields)) set.add(name);
    }
    expect([...columns].map(([type, names]) => [type, [...names]])).toEqual(
      [...union].map(([type, names]) => [type, [...names]])
    );
    expect([...(columns.get('Contact') ?? [])]).toEqual(['LastName', 'Email', 'AccountId']);
  });

  it('names the record, and the nested child, that is not an sObject record', async () => {
    await expect(
      rowsOf('{"records":[{"attributes":{"type":"Account"}},{"Name":"x"}]}')
    ).rejects.toThrow('Accounts.json: record 2: no attributes.type');
    const nested =
      '{"records":[{"attributes":{"type":"Account"},"Contacts":{"records":[{},[1]]}}]}';
    await expect(rowsOf(nested)).rejects.toThrow(
      'Accounts.json: record 1 Contacts[1]: no attributes.type'
    );
  });

  it('reads rows one at a time, and refuses JSON without records', async () => {
    const rows: TreeRow[] = [];
    for await (const row of readTreeRows(entry(TREE, 3), KNOWN)) rows.push(row);
    expect(rows).toHaveLength(4);
    await expect(rowsOf('{"not":"an array"}')).rejects.toThrow(/no "records" array/);
  });
});
