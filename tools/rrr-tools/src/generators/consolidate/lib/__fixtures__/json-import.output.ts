import sample from '../fixtures/sample-bars.json';
import defaults from '../../../../core/src/config/defaults.json';

export const fixtures = { sample, defaults };
