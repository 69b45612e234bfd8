import { vi } from 'vitest';

vi.mock('./tick-stream');
vi.doMock('../storage-layer/sqlite-store');
vi.unmock('../sources/bar-builder');
export const actual = await vi.importActual<typeof import('./tick-stream')>(
  './tick-stream',
);
export const mocked = await vi.importMock('@rrr/core');
