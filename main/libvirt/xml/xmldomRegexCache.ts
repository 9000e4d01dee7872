/**
 * xmldom 0.9 builds a new regular expression from its (large, Unicode) XML name grammar for
 * every end tag it reads (`grammar.reg(...)` in sax.js), which is a quarter to a third of the
 * time it takes to parse a domain's XML (xmldom issue #950). The expressions depend only on
 * grammar constants, so they are built once here and reused.
 *
 * This is the one place that reaches into xmldom's internals. It only caches expressions
 * without the `g` or `y` flag (those keep no state between uses), and only a few dozen, so if
 * xmldom changes `reg`, parsing stays correct and at worst loses the speed-up. Remove it when
 * xmldom fixes #950.
 */
import { createRequire } from 'node:module';

/** xmldom 0.9.12 asks for three distinct expressions; far more means `reg` is used differently. */
const MAX_CACHED = 64;

type RegexBuilder = (this: unknown, ...parts: (string | RegExp)[]) => RegExp;

interface XmldomGrammar {
  reg?: RegexBuilder & { virtdeckCached?: true };
}

export function cacheXmldomGrammarRegexes(): boolean {
  let grammar: XmldomGrammar;
  try {
    grammar = createRequire(import.meta.url)('@xmldom/xmldom/lib/grammar.js') as XmldomGrammar;
  } catch {
    return false;
  }
  const build = grammar.reg;
  if (typeof build !== 'function') return false;
  if (build.virtdeckCached) return true;
  // Keyed by the parts themselves (grammar constants: the same strings and RegExp objects each
  // time), one map level per part, so a lookup never touches the long expression sources.
  interface Level {
    next: Map<string | RegExp, Level>;
    expression?: RegExp;
  }
  const root: Level = { next: new Map() };
  let size = 0;
  const cached: RegexBuilder & { virtdeckCached?: true } = function (this: unknown, ...parts) {
    let level = root;
    for (const part of parts) {
      let next = level.next.get(part);
      if (!next) {
        next = { next: new Map() };
        level.next.set(part, next);
      }
      level = next;
    }
    if (level.expression) return level.expression;
    const expression = build.apply(this, parts);
    if (!expression.global && !expression.sticky && size < MAX_CACHED) {
      level.expression = expression;
      size++;
    }
    return expression;
  };
  cached.virtdeckCached = true;
  grammar.reg = cached;
  return true;
}
