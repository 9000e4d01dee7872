/**
 * Hosts grouped by their folder ("Lab/Rack 2" is the folder "Rack 2" inside "Lab"). One pass
 * over the items with a map of folders, so thousands of hosts cost no more than a sort.
 */
import { compareNames } from '../model/compareNames.js';

export interface FolderGroup<T> {
  /** '' for the top level. */
  path: string;
  /** The last segment of the path ('' for the top level). */
  name: string;
  folders: FolderGroup<T>[];
  items: T[];
}

/** "  Lab / /Rack 2/ " → "Lab/Rack 2": trimmed segments, no empty ones. */
export function normalizeFolder(folder: string | undefined | null): string {
  if (!folder) return '';
  return folder
    .split('/')
    .map((segment) => segment.trim())
    .filter((segment) => segment !== '')
    .join('/');
}

/** "Lab/Rack 2" → ["Lab", "Lab/Rack 2"]. */
export function folderAncestors(path: string): string[] {
  const segments = normalizeFolder(path).split('/').filter(Boolean);
  return segments.map((_, index) => segments.slice(0, index + 1).join('/'));
}

function emptyGroup<T>(path: string): FolderGroup<T> {
  const slash = path.lastIndexOf('/');
  return { path, name: slash < 0 ? path : path.slice(slash + 1), folders: [], items: [] };
}

/**
 * Groups items by folder, keeping the items' own order inside each folder and sorting
 * folders by name (naturally: "Rack 2" before "Rack 10").
 */
export function groupByFolder<T>(items: readonly T[], folderOf: (item: T) => string | undefined): FolderGroup<T> {
  const root = emptyGroup<T>('');
  const byPath = new Map<string, FolderGroup<T>>([['', root]]);
  const ensure = (path: string): FolderGroup<T> => {
    const existing = byPath.get(path);
    if (existing) return existing;
    const slash = path.lastIndexOf('/');
    const parent = ensure(slash < 0 ? '' : path.slice(0, slash));
    const created = emptyGroup<T>(path);
    parent.folders.push(created);
    byPath.set(path, created);
    return created;
  };
  for (const item of items) ensure(normalizeFolder(folderOf(item))).items.push(item);
  const sortFolders = (group: FolderGroup<T>): void => {
    group.folders.sort((a, b) => compareNames(a.name, b.name));
    for (const child of group.folders) sortFolders(child);
  };
  sortFolders(root);
  return root;
}

/** Every folder path in use and all their ancestors, sorted: suggestions for the folder field. */
export function knownFolders(folders: Iterable<string | undefined>): string[] {
  const all = new Set<string>();
  for (const folder of folders) for (const path of folderAncestors(folder ?? '')) all.add(path);
  return [...all].sort(compareNames);
}
