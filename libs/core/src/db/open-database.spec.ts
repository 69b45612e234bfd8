import { ConfigError } from '../errors';
import { openDatabase } from './open-database';
import { POSTGRES_START_COMMAND, PostgresTestSchemas } from './testing/postgres-test-schemas';

describe('openDatabase options', () => {
  it('refuses a URL of another database instead of silently falling back to SQLite', async () => {
    const attempt = openDatabase({ url: 'mysql://root:secret@localhost/db', sqlitePath: '/tmp/never.sqlite' });
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(attempt).rejects.toThrow(/url: must start with postgres:\/\/ or postgresql:\/\//);
    await expect(attempt).rejects.not.toThrow(/secret/);
  });

  it('names every invalid numeric option', async () => {
    await expect(openDatabase({ sqlitePath: ':memory:', busyTimeoutMs: -1, poolMax: 0 })).rejects.toThrow(
      'invalid database options: busyTimeoutMs: must be an integer ≥ 0 (milliseconds); poolMax: must be an integer ≥ 1',
    );
  });

  it('reports an unreachable PostgreSQL as a DatabaseError naming the failed step', async () => {
    // Port 1 on loopback refuses connections at once.
    await expect(openDatabase({ url: 'postgres://postgres@127.0.0.1:1/test', sqlitePath: '' })).rejects.toThrow(
      /^postgres: CONNECT failed: connect ECONNREFUSED 127\.0\.0\.1:1$/,
    );
  });

  it('tells the test author how to start PostgreSQL when the test server is down', async () => {
    await expect(PostgresTestSchemas.connect('postgres://postgres@127.0.0.1:1/test')).rejects.toThrow(
      `PostgreSQL is not reachable at 127.0.0.1:1/test (connect ECONNREFUSED 127.0.0.1:1). Start it with: ${POSTGRES_START_COMMAND}`,
    );
  });
});
