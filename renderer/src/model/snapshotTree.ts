/** A VM's snapshots as the rows of a tree: each after its parent, indented by depth. */
import type { SnapshotInfo } from '../../../preload/contract.js';

export interface SnapshotRow {
  snapshot: SnapshotInfo;
  depth: number;
  /** How many snapshots descend from it (deleted with it when "with children" is chosen). */
  descendants: number;
}

export function snapshotTreeRows(snapshots: readonly SnapshotInfo[]): SnapshotRow[] {
  const names = new Set(snapshots.map((snapshot) => snapshot.name));
  const children = new Map<string | undefined, SnapshotInfo[]>();
  for (const snapshot of snapshots) {
    // A parent we were not told about (deleted meanwhile) makes a root.
    const parent = snapshot.parent !== undefined && names.has(snapshot.parent) ? snapshot.parent : undefined;
    children.set(parent, [...(children.get(parent) ?? []), snapshot]);
  }
  const byTime = (a: SnapshotInfo, b: SnapshotInfo) => (a.creationTime ?? 0) - (b.creationTime ?? 0) || a.name.localeCompare(b.name);
  const rows: SnapshotRow[] = [];
  const visit = (parent: string | undefined, depth: number): number => {
    let count = 0;
    for (const snapshot of [...(children.get(parent) ?? [])].sort(byTime)) {
      const row: SnapshotRow = { snapshot, depth, descendants: 0 };
      rows.push(row);
      row.descendants = visit(snapshot.name, depth + 1);
      count += 1 + row.descendants;
    }
    return count;
  };
  visit(undefined, 0);
  return rows;
}
