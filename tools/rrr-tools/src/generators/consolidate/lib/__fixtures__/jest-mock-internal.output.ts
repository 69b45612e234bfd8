jest.mock('../../../data-pipeline/src/storage-layer/sqlite-store');
jest.doMock('../../../data-pipeline/src/market-data/tick-stream', () => ({ TickStream: jest.fn() }));
const { SqliteStore } = jest.requireMock('../../../data-pipeline/src/storage-layer/sqlite-store');

it('records limits in a mocked store', () => {
  expect(new SqliteStore()).toBeDefined();
});
