import { ValidationError, type FieldProblem } from '@rrr/core';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function pathOf(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (parent === '') return key;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/**
 * JSON with one spelling per value, so equal data always hashes equal: object keys sorted by UTF-16 code units
 * (JavaScript's default sort), no whitespace, numbers and strings as JSON.stringify writes them (shortest round-trip
 * number form, `-0` as `0`). Only JSON data is accepted: plain objects, arrays, strings, finite numbers, booleans and
 * null; object properties that are `undefined` are left out, as JSON.stringify does. Anything else (undefined in an
 * array, NaN, bigint, Date, Map, class instances, cycles) is a ValidationError naming the offending path.
 */
export function canonicalJson(value: unknown, subject = 'value', root = ''): string {
  const problems: FieldProblem[] = [];
  const ancestors = new Set<object>();

  const write = (v: unknown, path: string): string => {
    const field = path === '' ? '(root)' : path;
    switch (typeof v) {
      case 'string':
        return JSON.stringify(v);
      case 'boolean':
        return v ? 'true' : 'false';
      case 'number':
        if (!Number.isFinite(v)) {
          problems.push({ field, message: 'must be a finite number (JSON has no NaN or Infinity)', value: String(v) });
          return 'null';
        }
        return JSON.stringify(v);
      case 'object': {
        if (v === null) return 'null';
        if (ancestors.has(v)) {
          problems.push({ field, message: 'is a circular reference' });
          return 'null';
        }
        if (Array.isArray(v)) {
          ancestors.add(v);
          const items = v.map((item, i) => {
            if (item === undefined) {
              problems.push({ field: pathOf(path, i), message: 'must not be undefined (use null)' });
              return 'null';
            }
            return write(item, pathOf(path, i));
          });
          ancestors.delete(v);
          return `[${items.join(',')}]`;
        }
        if (!isPlainObject(v)) {
          const name = (v as { constructor?: { name?: string } }).constructor?.name ?? 'object';
          problems.push({
            field,
            message: `must be plain JSON data, not a ${name} (convert it, e.g. a Date to epoch ms)`,
          });
          return 'null';
        }
        ancestors.add(v);
        const record = v as Record<string, unknown>;
        const members = Object.keys(record)
          .sort()
          .filter((key) => record[key] !== undefined)
          .map((key) => `${JSON.stringify(key)}:${write(record[key], pathOf(path, key))}`);
        ancestors.delete(v);
        return `{${members.join(',')}}`;
      }
      default:
        problems.push({ field, message: `must be JSON data, not a ${typeof v}` });
        return 'null';
    }
  };

  const text = write(value, root);
  if (problems.length > 0) throw new ValidationError(subject, problems);
  return text;
}
