import { fetchPrices } from './price-feed';

jest.mock('./price-feed');
jest.mock('../../../risk-management/src/limits/daily-loss', () => ({ DailyLossLimiter: jest.fn() }));
const actualRisk = jest.requireActual('@rrr/risk-management');
jest.doMock('../storage-layer/sqlite-store');
jest.unmock('./bar-builder');
const mocked = jest.requireMock('./bar-builder');
const created = jest.createMockFromModule('../market-data/tick-stream');
jest.setMock('../storage-layer', {});

it('fetches', async () => {
  expect(await fetchPrices()).toEqual([]);
  expect([actualRisk, mocked, created]).toHaveLength(3);
});
