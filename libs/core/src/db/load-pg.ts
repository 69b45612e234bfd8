import type Pg from 'pg';
import type * as PgCopyStreams from 'pg-copy-streams';

// pg and pg-copy-streams cost ~50 ms to load: only a process configured for PostgreSQL should pay for them,
// so the SQLite default starts faster. The types stay static; the modules load on first use.

export function loadPg(): typeof Pg {
  return require('pg') as typeof Pg;
}

export function loadPgCopyStreams(): typeof PgCopyStreams {
  return require('pg-copy-streams') as typeof PgCopyStreams;
}
