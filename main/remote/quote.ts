/**
 * The one quoting function. Every argument that reaches a remote side — a POSIX shell over
 * SSH, or virsh's own command parser in a long-lived session — goes through `quoteArg`.
 *
 * Both parsers treat single quotes the same way: everything between them is literal, and a
 * single quote itself is written as '\'' (close, escaped quote, reopen). Line breaks and NUL
 * are refused: virsh reads one command per line, so a line break inside a name would split it.
 */
import { ContractError } from '../../preload/contract.js';

const FORBIDDEN = /[\0\n\r]/;

export function quoteArg(value: string): string {
  if (FORBIDDEN.test(value)) {
    throw new ContractError(
      'bad-arguments',
      'Names and paths may not contain line breaks or NUL characters.',
      JSON.stringify(value.slice(0, 80)),
    );
  }
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Joins an argv into one command line, every element quoted. */
export function commandLine(argv: readonly string[]): string {
  return argv.map(quoteArg).join(' ');
}
