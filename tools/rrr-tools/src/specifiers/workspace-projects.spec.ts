import { addProjectConfiguration } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { readWorkspaceProjects, rootTsconfigPath } from './workspace-projects';

describe('readWorkspaceProjects', () => {
  it('gives each project the import path and entry its root tsconfig alias names', () => {
    const tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
    tree.write(
      'tsconfig.base.json',
      `{
        // aliases as Nx writes them
        "compilerOptions": {
          "baseUrl": ".",
          "paths": { "@rrr/core": ["libs/core/src/index.ts"], "@rrr/core/*": ["libs/core/src/*"] }
        }
      }`,
    );
    addProjectConfiguration(tree, 'core', { root: 'libs/core' });
    addProjectConfiguration(tree, 'platform', { root: 'apps/platform' });
    expect(rootTsconfigPath(tree)).toBe('tsconfig.base.json');
    expect(readWorkspaceProjects(tree).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'core', root: 'libs/core', importPath: '@rrr/core', entry: 'libs/core/src/index.ts' },
      { name: 'platform', root: 'apps/platform' },
    ]);
  });
});
