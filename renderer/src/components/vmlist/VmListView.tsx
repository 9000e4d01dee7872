/**
 * "All virtual machines": every VM on every host in one sortable, filterable, searchable grid
 * with multi-selection and bulk power actions. Rendered virtually (@tanstack/react-virtual):
 * only the rows on screen are in the DOM, so 15,000 machines scroll like 15. CPU % comes from
 * stats.changed; the hosts of the rows on screen are the ones main is asked to watch.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { hostDisplayName } from '../../i18n/hostDisplayName.js';
import { useT } from '../../i18n/useT.js';
import {
  clickSelection,
  emptySelection,
  moveFocus,
  retainSelection,
  selectAll,
  toggleFocused,
  type FocusMove,
} from '../../model/listSelection.js';
import { sortVmRows } from '../../model/vmRowSort.js';
import { buildVmRows, filterVmRows, type VmRow } from '../../model/vmRows.js';
import { detectMac } from '../../shortcuts/formatShortcut.js';
import { unwatchStats, watchStats } from '../../services/statsWatch.js';
import { useHostsStore } from '../../store/hostsStore.js';
import { useInventoryStore } from '../../store/inventoryStore.js';
import { cpuPercentOf, useStatsStore } from '../../store/statsStore.js';
import { useUiStore } from '../../store/uiStore.js';
import { useVmListStore } from '../../store/vmListStore.js';
import { Icon } from '../common/Icon.js';
import type { MenuPosition } from '../common/Menu.js';
import { VmMenu, type VmMenuSubject } from '../vms/VmMenu.js';
import { VmListHeader } from './VmListHeader.js';
import { VM_ROW_HEIGHT, VmListRow, vmRowDomId } from './VmListRow.js';
import { VmListToolbar } from './VmListToolbar.js';
import './vmList.css';

const isMac = detectMac();

const focusKeys: Readonly<Record<string, FocusMove>> = {
  ArrowUp: 'up',
  ArrowDown: 'down',
  PageUp: 'pageUp',
  PageDown: 'pageDown',
  Home: 'home',
  End: 'end',
};

export function VmListView() {
  const t = useT();
  const hosts = useHostsStore((state) => state.hosts);
  const byHost = useInventoryStore((state) => state.byHost);
  const stats = useStatsStore((state) => state.byHost);
  const sort = useVmListStore((state) => state.sort);
  const filter = useVmListStore((state) => state.filter);
  const selection = useVmListStore((state) => state.selection);
  const setSelection = useVmListStore((state) => state.setSelection);
  const setSort = useVmListStore((state) => state.setSort);
  const gridRef = useRef<HTMLDivElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);

  const allRows = useMemo(() => buildVmRows(hosts, byHost, (host) => hostDisplayName(host, t)), [hosts, byHost, t]);
  const filtered = useMemo(() => filterVmRows(allRows, filter), [allRows, filter]);
  // Statistics re-sort the list only when it is sorted by CPU.
  const statsForSort = sort.column === 'cpu' ? stats : null;
  const rows = useMemo(
    () => sortVmRows(filtered, sort, statsForSort ? (row: VmRow) => cpuPercentOf(statsForSort, row.hostId, row.vm.name) : undefined),
    [filtered, sort, statsForSort],
  );
  const keys = useMemo(() => rows.map((row) => row.key), [rows]);
  const indexByKey = useMemo(() => new Map(keys.map((key, index) => [key, index])), [keys]);

  // Forget the selection of VMs that are gone or filtered away.
  useEffect(() => {
    const current = useVmListStore.getState().selection;
    const next = retainSelection(current, (key) => indexByKey.has(key));
    if (next !== current) useVmListStore.getState().setSelection(next);
  }, [indexByKey]);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => VM_ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items[items.length - 1]?.index ?? -1;

  // Main polls statistics only for the hosts whose rows are on screen.
  useEffect(() => {
    const visibleHosts = new Set<string>();
    for (let index = firstIndex; index <= lastIndex; index += 1) {
      const row = rows[index];
      if (row?.vm.state === 'running') visibleHosts.add(row.hostId);
    }
    if (document.visibilityState !== 'hidden') watchStats([...visibleHosts]);
  }, [firstIndex, lastIndex, rows]);
  useEffect(() => {
    const onVisibility = (): void => {
      if (document.visibilityState === 'hidden') unwatchStats();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      unwatchStats();
    };
  }, []);

  const latest = useRef({ rows, keys, selection, indexByKey });
  latest.current = { rows, keys, selection, indexByKey };

  const openRow = useCallback((index: number) => {
    const row = latest.current.rows[index];
    if (row) useUiStore.getState().openTab({ kind: 'vm', hostId: row.hostId, name: row.vm.name });
  }, []);

  const onRowClick = useCallback((index: number, event: MouseEvent) => {
    const { keys: order, selection: current } = latest.current;
    const key = order[index];
    if (key === undefined) return;
    const toggle = isMac ? event.metaKey : event.ctrlKey;
    setSelection(clickSelection(current, order, key, { range: event.shiftKey, toggle }));
    gridRef.current?.focus({ preventScroll: true });
  }, [setSelection]);

  const onCheck = useCallback((index: number) => {
    const { keys: order, selection: current } = latest.current;
    const key = order[index];
    if (key !== undefined) setSelection(clickSelection(current, order, key, { toggle: true }));
  }, [setSelection]);

  // A row's menu acts on the selection when the row is part of it, else on that row alone.
  const [menu, setMenu] = useState<{ subjects: VmMenuSubject[]; position: MenuPosition } | null>(null);
  const openMenu = useCallback((index: number, position: MenuPosition) => {
    const { rows: current, keys: order, selection: chosen } = latest.current;
    const row = current[index];
    if (!row) return;
    if (chosen.selected.has(row.key)) {
      setMenu({ subjects: current.filter((candidate) => chosen.selected.has(candidate.key)).map((candidate) => ({ hostId: candidate.hostId, vm: candidate.vm })), position });
    } else {
      setSelection(clickSelection(chosen, order, row.key, {}));
      setMenu({ subjects: [{ hostId: row.hostId, vm: row.vm }], position });
    }
  }, [setSelection]);
  const onRowMenu = useCallback((index: number, event: MouseEvent) => {
    event.preventDefault();
    openMenu(index, { x: event.clientX, y: event.clientY });
  }, [openMenu]);

  const focusIndex = selection.focus === null ? -1 : (indexByKey.get(selection.focus) ?? -1);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.target !== event.currentTarget) return;
    const mod = isMac ? event.metaKey : event.ctrlKey;
    const move = focusKeys[event.key];
    let next = selection;
    if (move) {
      const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? VM_ROW_HEIGHT * 10) / VM_ROW_HEIGHT) - 1);
      next = moveFocus(selection, keys, (key) => indexByKey.get(key) ?? -1, move, page, event.shiftKey);
    } else if (event.key === ' ') {
      next = selection.focus === null && keys[0] !== undefined ? { ...selection, focus: keys[0] } : toggleFocused(selection);
    } else if (event.key === 'Enter') {
      if (focusIndex >= 0) openRow(focusIndex);
    } else if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
      const element = focusIndex >= 0 ? document.getElementById(vmRowDomId(focusIndex)) : null;
      if (element) {
        const rect = element.getBoundingClientRect();
        openMenu(focusIndex, { x: rect.left + 40, y: rect.bottom });
      }
    } else if (mod && event.key.toLowerCase() === 'a') {
      next = selectAll(selection, keys);
    } else if (event.key === 'Escape' && selection.selected.size > 0) {
      next = { ...emptySelection, focus: selection.focus };
    } else {
      return;
    }
    event.preventDefault();
    if (next !== selection) {
      setSelection(next);
      const index = next.focus === null ? -1 : (indexByKey.get(next.focus) ?? -1);
      if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
    }
  };

  const selectedCount = useMemo(() => rows.reduce((count, row) => count + (selection.selected.has(row.key) ? 1 : 0), 0), [rows, selection]);
  const hasInventories = allRows.length > 0 || hosts.some((host) => byHost[host.id] !== undefined);

  return (
    <div className="vm-list-view" data-testid="vm-list-view">
      <header className="vm-list-title">
        <Icon name="list" size={20} />
        <h1 className="page-title">{t('vmList.title')}</h1>
      </header>
      <VmListToolbar rows={rows} total={allRows.length} selected={selection.selected} selectedCount={selectedCount} />
      <div
        ref={gridRef}
        className="vm-list"
        role="grid"
        aria-label={t('vmList.title')}
        aria-multiselectable="true"
        aria-rowcount={rows.length + 1}
        aria-colcount={8}
        aria-activedescendant={focusIndex >= firstIndex && focusIndex <= lastIndex ? vmRowDomId(focusIndex) : undefined}
        tabIndex={0}
        data-testid="vm-list"
        data-row-count={rows.length}
        onKeyDown={onKeyDown}
        onFocus={(event) => {
          if (event.target === event.currentTarget && selection.focus === null && keys[0] !== undefined) {
            setSelection({ ...selection, focus: keys[0] });
          }
        }}
      >
        <VmListHeader
          sort={sort}
          onSort={setSort}
          allSelected={rows.length > 0 && selectedCount === rows.length}
          someSelected={selectedCount > 0}
          onSelectAll={(select) => setSelection(select ? selectAll(selection, keys) : { ...emptySelection, focus: selection.focus })}
        />
        <div className="vm-list-scroll" ref={scrollRef}>
          {rows.length === 0 ? (
            <p className="vm-list-empty" data-testid="vm-list-empty">
              {hasInventories ? t('vmList.noMatch') : t('vmList.none')}
            </p>
          ) : (
            <div role="rowgroup" className="vm-list-body" style={{ height: virtualizer.getTotalSize() }}>
              {items.map((item) => {
                const row = rows[item.index];
                if (!row) return null;
                return (
                  <VmListRow
                    key={row.key}
                    row={row}
                    index={item.index}
                    top={item.start}
                    selected={selection.selected.has(row.key)}
                    focused={item.index === focusIndex}
                    cpu={cpuPercentOf(stats, row.hostId, row.vm.name)}
                    t={t}
                    onRowClick={onRowClick}
                    onRowOpen={openRow}
                    onCheck={onCheck}
                    onRowMenu={onRowMenu}
                  />
                );
              })}
            </div>
          )}
        </div>
      </div>
      {menu && <VmMenu subjects={menu.subjects} position={menu.position} withOpen={menu.subjects.length === 1} onClose={() => setMenu(null)} />}
    </div>
  );
}
