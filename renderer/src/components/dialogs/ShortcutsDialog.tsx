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
  { labelKey: 'shortcut.treeMenu', keys: ['Shift+F10', '☰'] },
  { labelKey: 'shortcut.sidebarResize', keys: ['←', '→'] },
  { labelKey: 'shortcut.closeDialog', keys: ['Esc'] },
];

function vmListKeys(isMac: boolean): readonly { labelKey: MessageKey; keys: string[] }[] {
  const mod = isMac ? '⌘' : 'Ctrl+';
  return [
    { labelKey: 'shortcut.listMove', keys: ['↑', '↓', 'PgUp', 'PgDn', 'Home', 'End'] },
    { labelKey: 'shortcut.listExtend', keys: [isMac ? '⇧↑' : 'Shift+↑', isMac ? '⇧↓' : 'Shift+↓', isMac ? '⇧Click' : 'Shift+Click'] },
    { labelKey: 'shortcut.listToggle', keys: ['Space', `${mod}Click`] },
    { labelKey: 'shortcut.listSelectAll', keys: [`${mod}A`] },
    { labelKey: 'shortcut.listOpen', keys: ['Enter'] },
  ];
}

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
      <ShortcutTable entries={treeKeys} or={or} />
      <h3 className="dialog-subheading">{t('shortcuts.vmList')}</h3>
      <ShortcutTable entries={vmListKeys(isMac)} or={or} />
    </Dialog>
  );
}

function ShortcutTable({ entries, or }: { entries: readonly { labelKey: MessageKey; keys: string[] }[]; or: string }) {
  const t = useT();
  return (
    <table className="shortcut-table">
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.labelKey}>
            <td>{t(entry.labelKey)}</td>
            <td>
              <KeyList keys={entry.keys} or={or} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
