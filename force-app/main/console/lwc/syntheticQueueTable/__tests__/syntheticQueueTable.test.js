import SyntheticQueueTable from 'c/syntheticQueueTable';

describe('c-synthetic-queue-table', () => {
  it('adds a status cell and a reasons cell, laid out as the standard cells are', () => {
    const { customTypes } = SyntheticQueueTable;
    expect(Object.keys(customTypes).sort()).toEqual(['reasons', 'status']);
    for (const type of Object.values(customTypes)) {
      expect(typeof type.template).toBe('function');
      expect(type.standardCellLayout).toBe(true);
    }
  });
});
