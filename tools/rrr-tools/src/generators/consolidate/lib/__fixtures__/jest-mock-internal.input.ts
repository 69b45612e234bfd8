jest.mock('../../data_pipeline/src/storageLayer/sqlite_store');
jest.doMock('../../data_pipeline/src/marketData/tick_stream', () => ({ TickStream: jest.fn() }));
const { SqliteStore } = jest.requireMock('../../data_pipeline/src/storageLayer/sqlite_store');

it('records limits in a mocked store', () => {
  expect(new SqliteStore()).toBeDefined();
});
