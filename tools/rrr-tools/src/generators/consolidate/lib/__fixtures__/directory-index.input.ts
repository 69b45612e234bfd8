import { SqliteStore } from '../storageLayer';
import * as storage from '../storageLayer/';
import { buildBar } from '..';
import { roundTo } from '../../../../src/core/utils';

export const all = [SqliteStore, storage, buildBar, roundTo];
