import sample from '../fixtures/sample_bars.json';
import defaults from '../../../../src/core/config/defaults.json';

export const fixtures = { sample, defaults };
