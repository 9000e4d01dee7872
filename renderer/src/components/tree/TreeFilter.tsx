/** The filter box above the tree: narrows hosts (name, address, folder, tag) and VMs (name). */
import { useT } from '../../i18n/useT.js';
import { useUiStore } from '../../store/uiStore.js';
import { Icon } from '../common/Icon.js';

export function TreeFilter() {
  const t = useT();
  const value = useUiStore((state) => state.treeFilter);
  const setFilter = useUiStore((state) => state.setTreeFilter);
  return (
    <div className="tree-filter">
      <Icon name="search" size={13} className="tree-filter-icon" />
      <input
        type="search"
        className="tree-filter-input"
        data-testid="tree-filter"
        placeholder={t('tree.filterPlaceholder')}
        aria-label={t('tree.filterLabel')}
        value={value}
        spellCheck={false}
        autoComplete="off"
        onChange={(event) => setFilter(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && value !== '') {
            event.preventDefault();
            event.stopPropagation();
            setFilter('');
          } else if (event.key === 'ArrowDown') {
            const first = document.querySelector<HTMLElement>('[data-testid="host-tree"] [role="treeitem"][tabindex="0"]');
            if (first) {
              event.preventDefault();
              first.focus();
            }
          }
        }}
      />
      {value !== '' && (
        <button type="button" className="tree-filter-clear" aria-label={t('tree.filterClear')} title={t('tree.filterClear')} onClick={() => setFilter('')}>
          <Icon name="close" size={12} />
        </button>
      )}
    </div>
  );
}
