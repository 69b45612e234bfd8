import { openDatabase, toIso } from '@rrr/core';
import type { Argv, CommandModule } from 'yargs';
import { API_KEY_SCOPES, ApiKeyStore, type ApiKeyRecord, type ApiKeyScope } from '../../security';
import type { CliIo } from '../cli-io';
import { loadCliConfig, withGlobalOptions, type GlobalArgs } from '../global-options';

interface CreateArgs extends GlobalArgs {
  scope: ApiKeyScope;
  name: string;
}

interface ListArgs extends GlobalArgs {
  json: boolean;
}

interface RevokeArgs extends GlobalArgs {
  id: string;
}

async function withStore<R>(args: GlobalArgs, fn: (store: ApiKeyStore) => Promise<R>): Promise<R> {
  const db = await openDatabase(loadCliConfig(args).database);
  try {
    return await fn(new ApiKeyStore(db));
  } finally {
    await db.close();
  }
}

function status(key: ApiKeyRecord): string {
  return key.revokedAt === undefined ? 'active' : `revoked ${toIso(key.revokedAt)}`;
}

/**
 * `rrr api-key create|list|revoke`. The key is printed once, alone on stdout (so `KEY=$(rrr api-key create …)` works),
 * with the explanation on stderr; afterwards only its id is ever shown.
 */
export function apiKeyCommand(io: CliIo): CommandModule<object, GlobalArgs> {
  const create: CommandModule<GlobalArgs, CreateArgs> = {
    command: 'create',
    describe: 'create a key and print it once (only its hash is stored)',
    builder: (yargs) =>
      withGlobalOptions(yargs)
        .option('scope', {
          choices: API_KEY_SCOPES,
          demandOption: true,
          describe: 'read: protected reads; trade: orders and other writes; admin: everything',
        })
        .option('name', { type: 'string', demandOption: true, describe: 'what the key is for, e.g. ci or dashboard' }),
    handler: (args) =>
      withStore(args, async (store) => {
        const { key, token } = await store.create({ name: args.name, scope: args.scope });
        io.out(token);
        io.err(
          `created API key ${key.id} (scope ${key.scope}, name "${key.name}"). ` +
            'Store it now: it is shown only this once. Send it as "Authorization: Bearer <key>" or "x-api-key: <key>".',
        );
      }),
  };
  const list: CommandModule<GlobalArgs, ListArgs> = {
    command: 'list',
    describe: 'list keys (ids, names, scopes, use and status; never secrets)',
    builder: (yargs) =>
      withGlobalOptions(yargs).option('json', { type: 'boolean', default: false, describe: 'print JSON' }),
    handler: (args) =>
      withStore(args, async (store) => {
        const keys = await store.list();
        if (args.json) {
          io.out(JSON.stringify(keys, null, 2));
          return;
        }
        if (keys.length === 0) {
          io.out('no API keys: create one with `rrr api-key create --scope admin --name <name>`');
          return;
        }
        io.out(
          `${'id'.padEnd(12)}  ${'scope'.padEnd(5)}  ${'created'.padEnd(24)}  ${'last used'.padEnd(24)}  status  name`,
        );
        for (const key of keys) {
          const lastUsed = key.lastUsedAt === undefined ? 'never' : toIso(key.lastUsedAt);
          io.out(
            `${key.id}  ${key.scope.padEnd(5)}  ${toIso(key.createdAt).padEnd(24)}  ${lastUsed.padEnd(24)}  ${status(key)}  ${key.name}`,
          );
        }
      }),
  };
  const revoke: CommandModule<GlobalArgs, RevokeArgs> = {
    command: 'revoke <id>',
    describe: 'revoke a key for good: it stops working at once, also in a running server',
    builder: (yargs) =>
      withGlobalOptions(yargs).positional('id', {
        type: 'string',
        demandOption: true,
        describe: 'the key id (12 hex)',
      }),
    handler: (args) =>
      withStore(args, async (store) => {
        const { key, alreadyRevoked } = await store.revoke(args.id);
        io.out(
          alreadyRevoked
            ? `API key ${key.id} was already revoked (${toIso(key.revokedAt as number)})`
            : `revoked API key ${key.id} ("${key.name}", scope ${key.scope})`,
        );
      }),
  };
  return {
    command: 'api-key <command>',
    describe: 'manage API keys: create (printed once), list, revoke',
    builder: (yargs: Argv<object>) =>
      withGlobalOptions(yargs)
        .command(create)
        .command(list)
        .command(revoke)
        .demandCommand(1, 'name an api-key command: create, list or revoke'),
    handler: () => undefined,
  };
}
