// import { buildBar } from './bar_builder';
/* export * from '../storageLayer'; */
import { buildBar } from './bar_builder';

const snippet = 'require("./bar_builder")';
const template = `import('./priceFeed')`;
const notJest = { mock: (path: string) => path };
notJest.mock('./priceFeed');
/**
 * Call `jest.mock('./bar_builder')` in your test.
 */
export function describeImports(): string {
  return snippet + template + buildBar();
}
