import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { loadPg } from '../load-pg';
import { errorMessage } from '../../errors';

/** The machine's PostgreSQL used by tests; override with RRR_TEST_POSTGRES_URL. */
export const TEST_POSTGRES_URL = process.env['RRR_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const POSTGRES_START_COMMAND = 'pg_ctlcluster --skip-systemctl-redirect 15 main start';

function withoutCredentials(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

/**
 * Throwaway schemas on the test PostgreSQL, one per fresh database a test needs: parallel test files (and
 * parallel runs) never see each other's tables. Each schema comes with a URL whose every connection has it as
 * search_path. An unreachable server fails with the command that starts it, never a silent skip.
 */
export class PostgresTestSchemas {
  private readonly created: string[] = [];

  private constructor(
    private readonly admin: pg.Client,
    private readonly baseUrl: string,
  ) {}

  static async connect(baseUrl = TEST_POSTGRES_URL): Promise<PostgresTestSchemas> {
    const admin = new (loadPg().Client)({ connectionString: baseUrl, connectionTimeoutMillis: 5000 });
    try {
      await admin.connect();
    } catch (err) {
      await admin.end().catch(() => undefined);
      throw new Error(
        `PostgreSQL is not reachable at ${withoutCredentials(baseUrl)} ` +
          `(${errorMessage(err)}). Start it with: ${POSTGRES_START_COMMAND}`,
      );
    }
    return new PostgresTestSchemas(admin, baseUrl);
  }

  /** Creates an empty schema named `rrr_test_<pid>_<random>` and returns a connection URL that uses it. */
  async create(): Promise<{ schema: string; url: string }> {
    const schema = `rrr_test_${process.pid}_${randomBytes(6).toString('hex')}`;
    await this.admin.query(`CREATE SCHEMA "${schema}"`);
    this.created.push(schema);
    const url = new URL(this.baseUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    return { schema, url: url.toString() };
  }

  /** Drops every schema this instance created, with everything in it, and disconnects. */
  async dropAll(): Promise<void> {
    try {
      for (const schema of this.created.splice(0)) await this.admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await this.admin.end();
    }
  }
}
