/**
 * Full XPath 1.0 over a document (the `xpath` package), for queries that are not a hot path:
 * finding nodes for the XML editor, ad-hoc lookups, checking property paths in tests.
 */
import type { Node } from '@xmldom/xmldom';
import { createRequire } from 'node:module';

type XPathResult = Node[] | string | number | boolean | null;

interface XPathModule {
  useNamespaces(namespaces: Record<string, string>): (expression: string, node: Node) => XPathResult;
}

// Loaded untyped on purpose: the package's declarations pull TypeScript's DOM library into the
// whole program, and browser globals must not type-check in main.
const xpath = createRequire(import.meta.url)('xpath') as XPathModule;

/** Nodes an expression selects, in document order; prefixes resolve through `namespaces`. */
export function selectNodes(expression: string, context: Node, namespaces: Record<string, string> = {}): Node[] {
  const result = xpath.useNamespaces(namespaces)(expression, context);
  if (!Array.isArray(result)) throw new Error(`XPath ${expression} selects a value, not nodes`);
  return result;
}
