/**
 * The hostile-name corpus: shell and virsh metacharacters, quotes, dashes, CJK, emoji, 200
 * characters. Names that would run a command if anything passed them through a shell unquoted
 * create a marker file named by `marker(n)`; tests check that none appears.
 */
export function hostileNames(marker: (n: number) => string): string[] {
  return [
    'with space',
    "it's",
    'say "hi"',
    `$(touch ${marker(1)})`,
    `\`touch ${marker(2)}\``,
    `a;touch ${marker(3)}`,
    `a|touch ${marker(4)}`,
    `a&touch ${marker(5)}&`,
    'back\\slash',
    '-leading-dash',
    '--option-like',
    '中文虚拟机',
    'emoji 🚀 vm',
    `x${'y'.repeat(198)}z`,
    '  padded  ',
    '$HOME*?~#!{a,b}',
  ];
}

/** How many markers the corpus can create (marker(1) … marker(MARKER_COUNT)). */
export const MARKER_COUNT = 5;
