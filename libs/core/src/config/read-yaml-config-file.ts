import { readFileSync } from 'node:fs';
import type * as Yaml from 'yaml';
import type { FieldProblem } from '../errors';
import { isPlainObject } from './config-paths';

export interface YamlConfigFile {
  /** False when the file does not exist, which is fine: every key has a default. */
  found: boolean;
  values: Record<string, unknown>;
  problems: FieldProblem[];
}

/** YAML `null` (a key left empty, e.g. a section whose settings are all commented out) means "not set here". */
function dropNulls(value: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === null) continue;
    result[key] = isPlainObject(item) ? dropNulls(item) : item;
  }
  return result;
}

function describeKind(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? `the string ${JSON.stringify(value)}` : `${typeof value} ${String(value)}`;
}

/**
 * Reads one YAML config file. Syntax errors are reported with line and column, all of them, under `label` (the path
 * users know the file by).
 */
export function readYamlConfigFile(file: string, label: string): YamlConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { found: false, values: {}, problems: [] };
    return {
      found: true,
      values: {},
      problems: [{ field: label, message: `cannot be read: ${(error as Error).message}` }],
    };
  }

  // yaml costs ~25 ms to load; a start-up without a config file never pays it.
  const { parseDocument } = require('yaml') as typeof Yaml;
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((error) => {
      const position = error.linePos?.[0];
      const reason = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      const where = position === undefined ? '' : ` at line ${position.line}, column ${position.col}`;
      return { field: label, message: `YAML syntax error${where}: ${reason}` };
    });
    return { found: true, values: {}, problems };
  }

  const content: unknown = doc.toJS();
  if (content === null || content === undefined) return { found: true, values: {}, problems: [] };
  if (!isPlainObject(content)) {
    return {
      found: true,
      values: {},
      problems: [
        { field: label, message: `expected a mapping of settings at the top level, got ${describeKind(content)}` },
      ],
    };
  }
  return { found: true, values: dropNulls(content), problems: [] };
}
