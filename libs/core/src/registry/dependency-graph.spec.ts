import { RrrError } from '../errors';
import { assertAcyclic, dependencyLevels } from './dependency-graph';

describe('dependency graph', () => {
  it('levels a diamond: the shared base first, the two middles together, the top last', () => {
    const levels = dependencyLevels([
      { name: 'trading-engine', deps: ['risk-management', 'data-pipeline'] },
      { name: 'data-pipeline', deps: ['core-db'] },
      { name: 'risk-management', deps: ['core-db'] },
      { name: 'core-db', deps: [] },
    ]);
    expect(levels).toEqual([['core-db'], ['data-pipeline', 'risk-management'], ['trading-engine']]);
  });

  it('puts a service one level above its deepest dependency', () => {
    const levels = dependencyLevels([
      { name: 'a', deps: [] },
      { name: 'b', deps: ['a'] },
      { name: 'c', deps: ['b'] },
      { name: 'd', deps: ['a', 'c'] },
      { name: 'e', deps: [] },
    ]);
    expect(levels).toEqual([['a', 'e'], ['b'], ['c'], ['d']]);
  });

  it('names every missing dependency and who declared it', () => {
    const attempt = () =>
      dependencyLevels([
        { name: 'backtesting', deps: ['trading-engine', 'neural-network'] },
        { name: 'trading-engine', deps: ['risk'] },
      ]);
    expect(attempt).toThrow(RrrError);
    expect(attempt).toThrow(
      'service "backtesting" depends on "neural-network", which is not registered; ' +
        'service "trading-engine" depends on "risk", which is not registered',
    );
  });

  it('reports a cycle as the path around it', () => {
    const nodes = [
      { name: 'x', deps: [] },
      { name: 'a', deps: ['x', 'b'] },
      { name: 'b', deps: ['c'] },
      { name: 'c', deps: ['a'] },
    ];
    expect(() => assertAcyclic(nodes)).toThrow('dependency cycle: a → b → c → a');
    try {
      dependencyLevels(nodes);
      throw new Error('expected a cycle error');
    } catch (error) {
      expect(error).toMatchObject({ code: 'DEPENDENCY_CYCLE', details: { cycle: ['a', 'b', 'c', 'a'] } });
    }
    expect(() => assertAcyclic([{ name: 'self', deps: ['self'] }])).toThrow('dependency cycle: self → self');
  });
});
