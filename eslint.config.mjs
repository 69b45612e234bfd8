import nx from '@nx/eslint-plugin';

/**
 * The dependency table of the architecture (DESIGN.md "Dependency rules"), one constraint per source tag.
 * Anything not listed here is forbidden: the graph stays acyclic and the registry boot order follows it.
 */
const depConstraints = [
  { sourceTag: 'scope:core', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'service:api-integration', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'service:risk-management', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'service:quantum-optimization', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'service:monitoring', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'service:neural-network', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'service:data-pipeline', onlyDependOnLibsWithTags: ['scope:core', 'service:api-integration'] },
  {
    sourceTag: 'service:trading-engine',
    onlyDependOnLibsWithTags: ['scope:core', 'service:risk-management', 'service:api-integration'],
  },
  {
    sourceTag: 'service:backtesting',
    onlyDependOnLibsWithTags: [
      'scope:core',
      'service:trading-engine',
      'service:risk-management',
      'service:data-pipeline',
      'service:neural-network',
    ],
  },
  { sourceTag: 'scope:app', onlyDependOnLibsWithTags: ['scope:core', 'scope:service'] },
  { sourceTag: 'scope:tooling', notDependOnLibsWithTags: ['scope:core', 'scope:service', 'scope:app'] },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/coverage', '**/out-tsc', '**/__fixtures__/**', 'tmp/**'],
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.cjs', '**/*.cts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          banTransitiveDependencies: false,
          allow: [],
          depConstraints,
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.json'],
    rules: {},
    languageOptions: { parser: await import('jsonc-eslint-parser') },
  },
];
