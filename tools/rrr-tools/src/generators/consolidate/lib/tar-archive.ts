import { spawnSync } from 'node:child_process';

function runTar(args: string[], input?: Buffer | string): string {
  const result = spawnSync('tar', args, { input, maxBuffer: 1024 * 1024 * 1024 });
  if (result.error) throw new Error(`tar ${args.join(' ')} could not start: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(
      `tar ${args.join(' ')} failed with exit code ${result.status}: ${result.stderr.toString('utf8').trim()}`,
    );
  }
  return result.stdout.toString('utf8');
}

/**
 * Writes exactly `paths` (relative to `cwd`, files and symlinks, no recursion) into a gzip tar. The list goes
 * through stdin NUL-separated and verbatim, so no name is ever read as an option or a pattern.
 */
export function createTarGz(archive: string, cwd: string, paths: readonly string[]): void {
  runTar(
    ['-czf', archive, '-C', cwd, '--null', '--verbatim-files-from', '--no-recursion', '-T', '-'],
    paths.map((p) => `${p}\0`).join(''),
  );
}

/** Extracts an archive into `cwd`, keeping permissions and symlinks as stored. */
export function extractTarGz(archive: string, cwd: string): void {
  runTar(['-xzpf', archive, '-C', cwd, '--no-same-owner']);
}

/** Reads the whole archive (checking gzip and tar integrity) and counts its members. */
export function countTarGzMembers(archive: string): number {
  // `escape` quoting prints a newline inside a name as \n, so each member is exactly one line.
  return runTar(['-tzf', archive, '--quoting-style=escape'])
    .split('\n')
    .filter((line) => line.length > 0).length;
}
