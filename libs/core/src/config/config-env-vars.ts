import type { z } from 'zod';
import { loadZod } from './load-zod';
import type { FieldProblem } from '../errors';
import { closestName } from './closest-name';
import { setAtPath } from './config-paths';

export type ConfigScalarKind = 'string' | 'number' | 'boolean';

/** One environment variable that sets one config key. */
export interface ConfigEnvVar {
  /** e.g. `RRR_SERVER_PORT`. */
  name: string;
  /** Dotted config path, e.g. `server.port`. */
  path: string;
  /** How the text of the variable is coerced: numbers, `true`/`false`/`1`/`0`, or a comma-separated list. */
  kind: ConfigScalarKind | 'list';
  /** Coercion of each list item. */
  itemKind?: ConfigScalarKind;
  secret: boolean;
  /** A conventional name (`POLYGON_API_KEY`) accepted next to the derived one, which wins when both are set. */
  alias: boolean;
}

export interface DeriveConfigEnvVarsOptions {
  /** Prefix without the trailing underscore, e.g. `RRR`. */
  prefix: string;
  isSecret?: (path: string) => boolean;
  /** Extra names per dotted path. */
  aliases?: Readonly<Record<string, string>>;
}

/** `maxVar95Pct` → `MAX_VAR95_PCT`. */
export function toEnvSegment(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** Strips the wrappers that do not change what a value must look like (defaults, optionality, read-only). */
function unwrapSchema(schema: z.ZodType): z.ZodType {
  const zod = loadZod();
  let current: z.ZodType = schema;
  for (;;) {
    if (
      current instanceof zod.ZodDefault ||
      current instanceof zod.ZodPrefault ||
      current instanceof zod.ZodOptional ||
      current instanceof zod.ZodNullable ||
      current instanceof zod.ZodReadonly ||
      current instanceof zod.ZodNonOptional
    ) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof zod.ZodPipe) {
      current = current.in as z.ZodType;
    } else {
      return current;
    }
  }
}

function scalarKind(schema: z.ZodType): ConfigScalarKind {
  const zod = loadZod();
  if (schema instanceof zod.ZodNumber) return 'number';
  if (schema instanceof zod.ZodBoolean) return 'boolean';
  return 'string';
}

/** The object schema at a path of keys, or undefined when the path leaves the object tree. */
export function objectSchemaAt(root: z.ZodType, path: readonly PropertyKey[]): z.ZodObject | undefined {
  const zod = loadZod();
  let current = unwrapSchema(root);
  for (const key of path) {
    if (!(current instanceof zod.ZodObject) || typeof key !== 'string') return undefined;
    const next = (current.shape as Record<string, z.ZodType | undefined>)[key];
    if (next === undefined) return undefined;
    current = unwrapSchema(next);
  }
  return current instanceof zod.ZodObject ? current : undefined;
}

/**
 * Walks the object shape of `schema` and names one variable per leaf: prefix, then the path segments in SNAKE case,
 * joined with `_`. Throws when two paths would share a name, which only a schema change can cause.
 */
export function deriveConfigEnvVars(schema: z.ZodObject, options: DeriveConfigEnvVarsOptions): ConfigEnvVar[] {
  const zod = loadZod();
  const vars: ConfigEnvVar[] = [];
  const isSecret = options.isSecret ?? (() => false);
  const walk = (node: z.ZodObject, segments: readonly string[]): void => {
    for (const [key, child] of Object.entries(node.shape as Record<string, z.ZodType>)) {
      const childSegments = [...segments, key];
      const inner = unwrapSchema(child);
      if (inner instanceof zod.ZodObject) {
        walk(inner, childSegments);
        continue;
      }
      const path = childSegments.join('.');
      const list = inner instanceof zod.ZodArray;
      const base = {
        path,
        kind: list ? ('list' as const) : scalarKind(inner),
        ...(list ? { itemKind: scalarKind(unwrapSchema(inner.element as z.ZodType)) } : {}),
        secret: isSecret(path),
      };
      vars.push({ name: [options.prefix, ...childSegments.map(toEnvSegment)].join('_'), ...base, alias: false });
      const alias = options.aliases?.[path];
      if (alias !== undefined) vars.push({ name: alias, ...base, alias: true });
    }
  };
  walk(schema, []);

  const byName = new Map<string, string>();
  for (const v of vars) {
    const taken = byName.get(v.name);
    if (taken !== undefined) {
      throw new Error(`config schema: ${taken} and ${v.path} both map to the environment variable ${v.name}`);
    }
    byName.set(v.name, v.path);
  }
  return vars;
}

const NUMBER_TEXT = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** Text that does not coerce is passed on unchanged, so validation reports exactly what the variable held. */
function coerceScalar(text: string, kind: ConfigScalarKind): unknown {
  if (kind === 'number') return NUMBER_TEXT.test(text) ? Number(text) : text;
  if (kind === 'boolean') {
    const lower = text.toLowerCase();
    if (lower === 'true' || lower === '1') return true;
    if (lower === 'false' || lower === '0') return false;
    return text;
  }
  return text;
}

export function coerceEnvValue(text: string, v: Pick<ConfigEnvVar, 'kind' | 'itemKind'>): unknown {
  if (v.kind !== 'list') return coerceScalar(text, v.kind);
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => coerceScalar(item, v.itemKind ?? 'string'));
}

export interface ConfigEnvLayer {
  /** Nested object of the values found, coerced per schema type. */
  values: Record<string, unknown>;
  /** Dotted path → `env <NAME>`. */
  sources: Map<string, string>;
  /** Variables with the prefix that name no config key. */
  problems: FieldProblem[];
}

export interface ReadConfigEnvOptions {
  /** Prefix without the trailing underscore, e.g. `RRR`. */
  prefix: string;
  /** Prefixed names that are known but not read here (e.g. `RRR_ENV`, which selects the environment). */
  ignore?: readonly string[];
}

/**
 * Reads the variables of `vars` from `env`. An empty variable counts as unset (container tooling often passes `X=`
 * for "no value"). A variable carrying the prefix that names no key is a problem, because a typo would otherwise
 * silently leave the default in force.
 */
export function readConfigEnv(
  env: NodeJS.ProcessEnv,
  vars: readonly ConfigEnvVar[],
  options: ReadConfigEnvOptions,
): ConfigEnvLayer {
  const values: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  const ignored = new Set(options.ignore ?? []);
  // Derived names before aliases, so that an explicit RRR_* name wins over a conventional one.
  const ordered = [...vars.filter((v) => !v.alias), ...vars.filter((v) => v.alias)];
  for (const v of ordered) {
    if (ignored.has(v.name) || sources.has(v.path)) continue;
    const text = env[v.name]?.trim();
    if (text === undefined || text === '') continue;
    setAtPath(values, v.path.split('.'), coerceEnvValue(text, v));
    sources.set(v.path, `env ${v.name}`);
  }

  const known = new Set([...vars.map((v) => v.name), ...ignored]);
  const problems: FieldProblem[] = [];
  const marker = `${options.prefix}_`;
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith(marker) || known.has(name)) continue;
    const suggestion = closestName(name, [...known]);
    problems.push({
      field: name,
      message: `unknown configuration variable${suggestion === undefined ? '' : `; did you mean ${suggestion}?`}`,
    });
  }
  return { values, sources, problems };
}
