import { SqliteStore } from '../storage-layer';
import * as storage from '../storage-layer/';
import { buildBar } from '..';
import { roundTo } from '@rrr/core';

export const all = [SqliteStore, storage, buildBar, roundTo];
