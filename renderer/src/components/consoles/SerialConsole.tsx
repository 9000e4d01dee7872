/**
 * The text console: `virsh console` on a pty of the host (`vm.console`) in xterm.js, fitted to
 * its box (the pty follows), with scrollback, search, and copy/paste (Ctrl+Shift+C / V). The
 * terminal and its scrollback survive reconnects; only one client may hold a guest's console,
 * and taking it over from another asks first.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import '@xterm/xterm/css/xterm.css';
import { useT } from '../../i18n/useT.js';
import { requireClient } from '../../store/connectionStore.js';
import { Icon } from '../common/Icon.js';
import { ConsoleStatusLine } from './ConsoleStatusLine.js';
import { useConsoleSession, type ConsoleConnect } from './consoleSession.js';

interface SerialConsoleProps {
  hostId: string;
  name: string;
  running: boolean;
  hostConnected: boolean;
}

const encoder = new TextEncoder();

export function SerialConsole({ hostId, name, running, hostConnected }: SerialConsoleProps) {
  const t = useT();
  const box = useRef<HTMLDivElement>(null);
  const terminal = useRef<{ term: Terminal; fit: FitAddon; search: SearchAddon } | undefined>(undefined);
  const input = useRef<((data: string) => void) | undefined>(undefined);
  const resize = useRef<((rows: number, cols: number) => void) | undefined>(undefined);
  const [query, setQuery] = useState('');

  useEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    const term = new Terminal({ scrollback: 10_000, convertEol: false, cursorBlink: true, fontSize: 14, allowProposedApi: false });
    const fit = new FitAddon();
    const search = new SearchAddon();
    term.loadAddon(fit);
    term.loadAddon(search);
    term.open(element);
    fit.fit();
    term.attachCustomKeyEventHandler((event) => {
      if (event.type !== 'keydown' || !event.ctrlKey || !event.shiftKey) return true;
      if (event.code === 'KeyC') {
        const selection = term.getSelection();
        if (selection) void navigator.clipboard?.writeText(selection).catch(() => undefined);
        return false;
      }
      if (event.code === 'KeyV') {
        void navigator.clipboard?.readText().then((text) => term.paste(text), () => undefined);
        return false;
      }
      return true;
    });
    const typed = term.onData((data) => input.current?.(data));
    const resized = term.onResize(({ rows, cols }) => resize.current?.(rows, cols));
    const observer = new ResizeObserver(() => {
      if (element.clientWidth > 0 && element.clientHeight > 0) fit.fit();
    });
    observer.observe(element);
    terminal.current = { term, fit, search };
    return () => {
      observer.disconnect();
      typed.dispose();
      resized.dispose();
      terminal.current = undefined;
      term.dispose();
    };
  }, []);

  const connect = useCallback<ConsoleConnect>(
    async ({ force, ended }) => {
      const current = terminal.current;
      const size = { rows: current?.term.rows ?? 24, cols: current?.term.cols ?? 80 };
      const stream = await requireClient().openStream('vm.console', { hostId, name, size, ...(force ? { force: true } : {}) });
      let closing = false;
      const offData = stream.onData((chunk) => new Promise<void>((resolve) => (terminal.current ? terminal.current.term.write(chunk, resolve) : resolve())));
      stream.onClose((error) => {
        input.current = undefined;
        resize.current = undefined;
        offData();
        if (!closing) ended(error);
      });
      input.current = (data) => void stream.write(encoder.encode(data)).catch(() => undefined);
      resize.current = (rows, cols) => stream.control({ kind: 'resize', rows, cols });
      // The terminal may have been fitted while the stream opened.
      if (current && (current.term.rows !== size.rows || current.term.cols !== size.cols)) stream.control({ kind: 'resize', rows: current.term.rows, cols: current.term.cols });
      current?.term.focus();
      return {
        close: () => {
          closing = true;
          input.current = undefined;
          resize.current = undefined;
          stream.close();
        },
      };
    },
    [hostId, name],
  );
  const session = useConsoleSession(connect, running, hostConnected);

  const find = (direction: 'next' | 'previous'): void => {
    const search = terminal.current?.search;
    if (!search || query === '') return;
    if (direction === 'next') search.findNext(query);
    else search.findPrevious(query);
  };

  return (
    <div className="console console-serial" data-testid="serial-console" data-status={session.status}>
      <div className="console-toolbar" role="toolbar" aria-label={t('console.toolbar')}>
        <input
          type="search"
          className="console-search"
          placeholder={t('console.search')}
          aria-label={t('console.search')}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') find(event.shiftKey ? 'previous' : 'next');
          }}
          data-testid="serial-search"
        />
        <button type="button" className="button button-small button-icon-only" onClick={() => find('previous')} aria-label={t('console.searchPrevious')} title={t('console.searchPrevious')}>
          <Icon name="arrowUp" size={14} />
        </button>
        <button type="button" className="button button-small button-icon-only" onClick={() => find('next')} aria-label={t('console.searchNext')} title={t('console.searchNext')}>
          <Icon name="arrowDown" size={14} />
        </button>
        <span className="console-hint">{t('console.copyPasteHint')}</span>
        <span className="console-toolbar-spacer" />
        <ConsoleStatusLine session={session} />
      </div>
      <div className="console-terminal" ref={box} data-testid="serial-terminal" />
    </div>
  );
}
