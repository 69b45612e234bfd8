import { fetchPrices } from '../src/sources/priceFeed';

jest.mock('../src/sources/priceFeed');
jest.mock('../../risk_management/src/limits/daily_loss', () => ({ DailyLossLimiter: jest.fn() }));
const actualRisk = jest.requireActual('../../risk_management/src');
jest.doMock('../src/storageLayer/sqlite_store');
jest.unmock('../src/sources/bar_builder');
const mocked = jest.requireMock('../src/sources/bar_builder');
const created = jest.createMockFromModule('../src/marketData/tick_stream');
jest.setMock('../src/storageLayer', {});

it('fetches', async () => {
  expect(await fetchPrices()).toEqual([]);
  expect([actualRisk, mocked, created]).toHaveLength(3);
});
