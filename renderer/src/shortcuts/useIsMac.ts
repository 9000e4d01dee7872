import { detectMac } from './formatShortcut.js';

const isMac = detectMac();

/** Whether to show shortcuts the macOS way (⌘) — fixed for the life of the window. */
export function useIsMac(): boolean {
  return isMac;
}
