import { applyChangesToString, ChangeType, type Tree } from '@nx/devkit';
import * as ts from 'typescript';

/** Flat-config file names, in the order ESLint looks for them. */
const ESLINT_CONFIGS = [
  'eslint.config.js',
  'eslint.config.mjs',
  'eslint.config.cjs',
  'eslint.config.ts',
  'eslint.config.mts',
  'eslint.config.cts',
];

export interface DependencyConstraint {
  sourceTag: string;
  onlyDependOnLibsWithTags: string[];
}

export interface DependencyConstraintsTable {
  path: string;
  /** `sourceTag` of every constraint, in order. */
  sourceTags: string[];
  /** The array literal holding the constraints. */
  array: ts.ArrayLiteralExpression;
  source: ts.SourceFile;
}

export function findEslintConfig(tree: Tree): string | undefined {
  return ESLINT_CONFIGS.find((path) => tree.exists(path));
}

function propertyNamed(node: ts.ObjectLiteralExpression, name: string): ts.PropertyAssignment | undefined {
  return node.properties.find(
    (property): property is ts.PropertyAssignment =>
      ts.isPropertyAssignment(property) &&
      (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) &&
      property.name.text === name,
  );
}

function stringValue(node: ts.Expression | undefined): string | undefined {
  return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
}

/**
 * The `depConstraints` table of `@nx/enforce-module-boundaries` in the flat config: a `depConstraints` variable
 * or property initialised with an array literal (the DESIGN's one-constraint-per-source-tag table).
 */
export function readDependencyConstraints(
  tree: Tree,
  path = findEslintConfig(tree),
): DependencyConstraintsTable | undefined {
  if (!path) return undefined;
  const text = tree.read(path, 'utf-8');
  if (text === null) return undefined;
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  let array: ts.ArrayLiteralExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (array) return;
    if (
      (ts.isVariableDeclaration(node) || ts.isPropertyAssignment(node)) &&
      ts.isIdentifier(node.name) &&
      node.name.text === 'depConstraints' &&
      node.initializer &&
      ts.isArrayLiteralExpression(node.initializer)
    ) {
      array = node.initializer;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (!array) return undefined;
  const sourceTags = array.elements
    .filter(ts.isObjectLiteralExpression)
    .map((element) => stringValue(propertyNamed(element, 'sourceTag')?.initializer))
    .filter((tag): tag is string => tag !== undefined);
  return { path, sourceTags, array, source };
}

/**
 * Adds one constraint to the table, by offsets (the rest of the file stays as written): after the last
 * `service:*` constraint, else before the `scope:app` one, else at the end — so the table keeps reading like the
 * DESIGN's dependency table. Quotes follow the table's. Returns the config path, or undefined when the workspace
 * has no such table (the caller reports it).
 */
export function addDependencyConstraint(tree: Tree, constraint: DependencyConstraint): string | undefined {
  const table = readDependencyConstraints(tree);
  if (!table) return undefined;
  if (table.sourceTags.includes(constraint.sourceTag)) {
    throw new Error(`${table.path} already has a constraint for ${constraint.sourceTag}`);
  }
  const { array, source } = table;
  const text = source.getFullText();
  const elements = array.elements.filter(ts.isObjectLiteralExpression);
  const tagOf = (element: ts.ObjectLiteralExpression) => stringValue(propertyNamed(element, 'sourceTag')?.initializer);
  const lastService = [...elements].reverse().find((element) => tagOf(element)?.startsWith('service:'));
  const app = elements.find((element) => tagOf(element) === 'scope:app');
  const firstString = elements
    .map((element) => propertyNamed(element, 'sourceTag')?.initializer)
    .find((node): node is ts.StringLiteral => node !== undefined && ts.isStringLiteral(node));
  const quote = firstString && text[firstString.getStart(source)] === '"' ? '"' : "'";
  const q = (value: string) => `${quote}${value.replace(new RegExp(quote, 'g'), `\\${quote}`)}${quote}`;
  const literal = `{ sourceTag: ${q(constraint.sourceTag)}, onlyDependOnLibsWithTags: [${constraint.onlyDependOnLibsWithTags
    .map(q)
    .join(', ')}] }`;

  const lineIndent = (position: number) => {
    const lineStart = text.lastIndexOf('\n', position - 1) + 1;
    return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
  };
  let index: number;
  let insertion: string;
  if (lastService || (!app && elements.length > 0)) {
    const after = (lastService ?? elements[elements.length - 1]) as ts.ObjectLiteralExpression;
    const hasComma = text.slice(after.getEnd()).trimStart().startsWith(',');
    index = hasComma ? text.indexOf(',', after.getEnd()) + 1 : after.getEnd();
    insertion = `${hasComma ? '' : ','}\n${lineIndent(after.getStart(source))}${literal}${hasComma ? ',' : ''}`;
  } else if (app) {
    index = app.getStart(source);
    insertion = `${literal},\n${lineIndent(index)}`;
  } else {
    index = array.getEnd() - 1;
    insertion = `${literal}`;
  }
  tree.write(table.path, applyChangesToString(text, [{ type: ChangeType.Insert, index, text: insertion }]));
  return table.path;
}
