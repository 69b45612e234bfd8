import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { addDependencyConstraint, readDependencyConstraints } from './add-dependency-constraint';

const TABLE = `import nx from '@nx/eslint-plugin';

// The DESIGN's dependency table.
const depConstraints = [
  { sourceTag: 'scope:core', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'service:monitoring', onlyDependOnLibsWithTags: ['scope:core'] },
  {
    sourceTag: 'service:backtesting',
    onlyDependOnLibsWithTags: ['scope:core', 'service:monitoring'],
  },
  { sourceTag: 'scope:app', onlyDependOnLibsWithTags: ['scope:core', 'scope:service'] },
];

export default [...nx.configs['flat/base'], { rules: { '@nx/enforce-module-boundaries': ['error', { depConstraints }] } }];
`;

describe('addDependencyConstraint', () => {
  it('adds the constraint after the last service constraint, leaving every other byte as written', () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('eslint.config.mjs', TABLE);

    const path = addDependencyConstraint(tree, {
      sourceTag: 'service:pricing-feed',
      onlyDependOnLibsWithTags: ['scope:core', 'service:monitoring'],
    });

    expect(path).toBe('eslint.config.mjs');
    expect(tree.read('eslint.config.mjs', 'utf-8')).toBe(
      TABLE.replace(
        "  },\n  { sourceTag: 'scope:app'",
        "  },\n  { sourceTag: 'service:pricing-feed', onlyDependOnLibsWithTags: ['scope:core', 'service:monitoring'] },\n  { sourceTag: 'scope:app'",
      ),
    );
    expect(readDependencyConstraints(tree)?.sourceTags).toEqual([
      'scope:core',
      'service:monitoring',
      'service:backtesting',
      'service:pricing-feed',
      'scope:app',
    ]);
  });

  it('goes before the app constraint when there is no service yet, in the table’s quotes', () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write(
      'eslint.config.js',
      'module.exports = [{ rules: { r: ["error", { depConstraints: [\n    { sourceTag: "scope:app", onlyDependOnLibsWithTags: ["*"] }\n  ] }] } }];\n',
    );

    addDependencyConstraint(tree, { sourceTag: 'service:a', onlyDependOnLibsWithTags: ['scope:core'] });

    expect(tree.read('eslint.config.js', 'utf-8')).toBe(
      'module.exports = [{ rules: { r: ["error", { depConstraints: [\n    { sourceTag: "service:a", onlyDependOnLibsWithTags: ["scope:core"] },\n    { sourceTag: "scope:app", onlyDependOnLibsWithTags: ["*"] }\n  ] }] } }];\n',
    );
  });

  it('appends to the last entry without a trailing comma, and fills an empty table', () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write(
      'eslint.config.mjs',
      "const depConstraints = [\n  { sourceTag: 'scope:core', onlyDependOnLibsWithTags: [] }\n];\n",
    );
    addDependencyConstraint(tree, { sourceTag: 'service:a', onlyDependOnLibsWithTags: ['scope:core'] });
    expect(tree.read('eslint.config.mjs', 'utf-8')).toBe(
      "const depConstraints = [\n  { sourceTag: 'scope:core', onlyDependOnLibsWithTags: [] },\n  { sourceTag: 'service:a', onlyDependOnLibsWithTags: ['scope:core'] }\n];\n",
    );

    tree.write('eslint.config.mjs', 'const depConstraints = [];\n');
    addDependencyConstraint(tree, { sourceTag: 'service:b', onlyDependOnLibsWithTags: [] });
    expect(tree.read('eslint.config.mjs', 'utf-8')).toBe(
      "const depConstraints = [{ sourceTag: 'service:b', onlyDependOnLibsWithTags: [] }];\n",
    );
  });

  it('refuses a tag the table already constrains and reports a config without a table', () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('eslint.config.mjs', TABLE);
    expect(() =>
      addDependencyConstraint(tree, { sourceTag: 'service:monitoring', onlyDependOnLibsWithTags: [] }),
    ).toThrow('eslint.config.mjs already has a constraint for service:monitoring');

    tree.write('eslint.config.mjs', 'export default [];\n');
    expect(addDependencyConstraint(tree, { sourceTag: 'service:x', onlyDependOnLibsWithTags: [] })).toBeUndefined();
    expect(tree.read('eslint.config.mjs', 'utf-8')).toBe('export default [];\n');
  });
});
