// Legacy file written on Windows.
import { buildBar } from './bar_builder';
import { Bar } from '../../../../src/core/types';

export const bars: Bar[] = [buildBar()];
