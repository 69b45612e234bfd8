import { vi } from 'vitest';

vi.mock('../src/marketData/tick_stream');
vi.doMock('../src/storageLayer/sqlite_store');
vi.unmock('../src/sources/bar_builder');
export const actual = await vi.importActual<typeof import('../src/marketData/tick_stream')>(
  '../src/marketData/tick_stream',
);
export const mocked = await vi.importMock('../../../src/core/time/clock');
