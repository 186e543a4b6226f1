/**
 * Issue 16: every text the dashboard and the console show goes through the catalogues. This reads the pages' sources
 * (browser/, the catalogues left out) with the TypeScript parser and fails on a string written into the page directly:
 * a text child of `el(...)`, a text attribute (`aria-label`, `title`, `placeholder`, `alt`, a field's `label` or
 * `hint`), text assigned to `textContent`, `title` or `placeholder`, or a message said through `say()`,
 * `confirm()`, `alert()` or `untranslated()`. A string with no word in it (`·`, `A`, ` / `) is no text, nor is a
 * catalogue key handed on (`'dashboard.monitoring.lastHour'`) or an example path; names that are the same in every
 * language are listed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** Said the same in every language: the product's name, and the console's example tenant. */
const SAME_IN_EVERY_LANGUAGE = new Set(['Ampshare', 'demo']);

const TEXT_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt', 'label', 'hint']);
const TEXT_PROPERTIES = new Set(['textContent', 'title', 'placeholder']);
const SAYING_CALLS = new Set(['say', 'confirm', 'alert', 'untranslated']);

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path.endsWith(join('i18n', 'messages')) ? [] : sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });

/** The literal text of a string or template expression (a template's literal parts), or undefined. */
function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node))
    return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
  if (ts.isConditionalExpression(node)) return [literalText(node.whenTrue), literalText(node.whenFalse)].join(' ');
  return undefined;
}

const CATALOGUE_KEY = /^[a-z]+(\.\w+)+$/;
const EXAMPLE_PATH = /\/[\w./-]+/g;

function isText(text: string | undefined): text is string {
  if (text === undefined || CATALOGUE_KEY.test(text)) return false;
  const words = text
    .replace(EXAMPLE_PATH, ' ')
    .split(/\s+/)
    .filter((word) => !SAME_IN_EVERY_LANGUAGE.has(word));
  return /\p{L}{2,}/u.test(words.join(' '));
}

const calleeName = (call: ts.CallExpression): string | undefined => {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
};

const propertyName = (name: ts.PropertyName): string | undefined =>
  ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;

/** Every text written into a page directly in `file`, as `file:line "text"`. */
function pageLiterals(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const report = (node: ts.Node, text: string) =>
    found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} "${text}"`);
  const check = (node: ts.Node | undefined) => {
    const text = node && literalText(node);
    if (node && isText(text)) report(node, text);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const name = calleeName(node);
      if (name === 'el') node.arguments.slice(2).forEach(check);
      if (name !== undefined && SAYING_CALLS.has(name)) check(node.arguments[0]);
    }
    if (ts.isPropertyAssignment(node) && TEXT_ATTRIBUTES.has(propertyName(node.name) ?? '')) check(node.initializer);
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      TEXT_PROPERTIES.has(node.left.name.text)
    )
      check(node.right);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('texts on the pages', () => {
  it('should write no text into a page but through the catalogues', () => {
    // Act
    const literals = sources('browser').flatMap(pageLiterals);

    // Assert
    expect(literals).toEqual([]);
  });
});
