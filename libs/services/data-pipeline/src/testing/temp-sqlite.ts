import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '@rrr/core';

/** A temp directory with migrated SQLite databases and scratch files in it, removed by `cleanup`. */
export class TempSqlite {
  readonly dir: string;
  private readonly opened: Database[] = [];

  constructor(prefix = 'rrr-data-pipeline-') {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
  }

  /** Opens (and migrates) `<dir>/<name>.db`. */
  async open(name = 'test'): Promise<Database> {
    const db = await openDatabase({ sqlitePath: join(this.dir, `${name}.db`) });
    this.opened.push(db);
    return db;
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  /** Writes a file in the temp directory and returns its path. */
  file(name: string, content: string | Uint8Array): string {
    const path = join(this.dir, name);
    writeFileSync(path, content);
    return path;
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.opened.splice(0).map((db) => db.close()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
