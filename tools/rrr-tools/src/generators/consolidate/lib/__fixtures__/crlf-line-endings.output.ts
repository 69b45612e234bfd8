// Legacy file written on Windows.
import { buildBar } from './bar-builder';
import { Bar } from '@rrr/core';

export const bars: Bar[] = [buildBar()];
