import { fetchPrices } from '@rrr/data-pipeline';

jest.mock('@rrr/data-pipeline');
jest.mock('../../../data-pipeline/src/sources/bar-builder', () => ({ buildBar: jest.fn() }));
const { buildBar } = jest.requireActual('@rrr/data-pipeline');

it('hedges on mocked prices', async () => {
  expect(await fetchPrices()).toBeUndefined();
  expect(buildBar()).toEqual({ close: 1 });
});
