import { fetchPrices } from '../../data_pipeline/src/sources/priceFeed';

jest.mock('../../data_pipeline/src/sources/priceFeed');
jest.mock('../../data_pipeline/src/sources/bar_builder', () => ({ buildBar: jest.fn() }));
const { buildBar } = jest.requireActual('../../data_pipeline/src/sources/bar_builder');

it('hedges on mocked prices', async () => {
  expect(await fetchPrices()).toBeUndefined();
  expect(buildBar()).toEqual({ close: 1 });
});
