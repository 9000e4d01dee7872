/** Every shortcut from the central map, plus the tree's arrow keys. */
import { useT } from '../../i18n/useT.js';
import type { MessageKey } from '../../i18n/translate.js';
import { formatChord } from '../../shortcuts/formatShortcut.js';
import { shortcutMap } from '../../shortcuts/shortcutMap.js';
import { useIsMac } from '../../shortcuts/useIsMac.js';
import { Dialog } from './Dialog.js';
import { KeyList } from './KeyList.js';

const treeKeys: readonly { labelKey: MessageKey; keys: string[] }[] = [
  { labelKey: 'shortcut.treeMove', keys: ['↑', '↓'] },
  { labelKey: 'shortcut.treeExpand', keys: ['→'] },
  { labelKey: 'shortcut.treeCollapse', keys: ['←'] },
  { labelKey: 'shortcut.treeOpen', keys: ['Enter'] },
  { labelKey: 'shortcut.treeEnds', keys: ['Home', 'End'] },
  { labelKey: 'shortcut.sidebarResize', keys: ['←', '→'] },
  { labelKey: 'shortcut.closeDialog', keys: ['Esc'] },
];

export function ShortcutsDialog({ onClose }: { onClose(): void }) {
  const t = useT();
  const isMac = useIsMac();
  const or = t('shortcuts.or');
  return (
    <Dialog title={t('shortcuts.title')} onClose={onClose} testId="shortcuts-dialog">
      <h3 className="dialog-subheading">{t('shortcuts.global')}</h3>
      <table className="shortcut-table">
        <tbody>
          {shortcutMap.map((shortcut) => (
            <tr key={shortcut.id}>
              <td>{t(shortcut.labelKey)}</td>
              <td>
                <KeyList keys={shortcut.chords.map((chord) => formatChord(chord, isMac))} or={or} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3 className="dialog-subheading">{t('shortcuts.tree')}</h3>
      <table className="shortcut-table">
        <tbody>
          {treeKeys.map((entry) => (
            <tr key={entry.labelKey}>
              <td>{t(entry.labelKey)}</td>
              <td>
                <KeyList keys={entry.keys} or={or} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
