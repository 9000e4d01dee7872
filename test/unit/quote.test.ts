import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { commandLine, quoteArg } from '../../main/remote/quote.js';

/** Names a hostile user or host could hand us; the shell must see each as one literal word. */
export const HOSTILE = [
  'plain',
  'with space',
  "it's",
  'say "hi"',
  '$(touch pwned)',
  '`touch pwned`',
  'a;b',
  'a|b',
  'a&b',
  'back\\slash',
  '-leading-dash',
  '--option-like',
  '中文名字',
  'emoji 🚀',
  'x'.repeat(200),
  "'",
  "''",
  '\\',
  '$HOME',
  '*',
  '~',
  '#comment',
  '!bang',
  '{a,b}',
  '  padded  ',
  '',
];

describe('quoteArg', () => {
  it.each(HOSTILE)('passes %j through a POSIX shell unchanged', (value) => {
    const out = execFileSync('/bin/sh', ['-c', `printf '%s' ${quoteArg(value)}`]).toString();
    expect(out).toBe(value);
  });

  it('passes a whole argv through sh as separate words', () => {
    const argv = HOSTILE.slice(0, 10);
    const out = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${commandLine(argv)}`]).toString();
    expect(out.split('\0').slice(0, -1)).toEqual(argv);
  });

  it.each(['a\nb', 'a\rb', 'a\0b'])('refuses %j with a typed error', (value) => {
    expect(() => quoteArg(value)).toThrowError(/line breaks or NUL/);
    try {
      quoteArg(value);
    } catch (error) {
      expect((error as { code?: string }).code).toBe('bad-arguments');
    }
  });
});
