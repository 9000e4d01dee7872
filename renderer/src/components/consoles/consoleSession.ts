/**
 * One console's connection and what it says about it: connecting, connected, reconnecting
 * (the host's SSH link is down, or the guest is rebooting), the guest is not running (it comes
 * back by itself when the guest starts), another client holds the console (taking it over asks
 * first), or failed (with why). A connection that ends on its own is opened again with a short
 * backoff while the host and the guest are there; nothing here blocks the window.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ContractErrorShape } from '../../../../preload/contract.js';
import { toErrorInfo, type ErrorInfo } from '../../errors/errorInfo.js';

export type ConsoleStatus = 'connecting' | 'connected' | 'reconnecting' | 'not-running' | 'busy' | 'failed';

export interface ConsoleConnection {
  close(): void;
}

/**
 * Opens a console. `ended` is called once when it ends by itself (not after close()), with why;
 * the promise rejects when it cannot be opened at all.
 */
export type ConsoleConnect = (options: { force: boolean; ended: (error?: ContractErrorShape) => void }) => Promise<ConsoleConnection>;

const BACKOFF_MS = [500, 1000, 2000, 4000, 5000];

/** What to do after a connection ended or failed to open. */
export function nextStatus(error: { code?: string | null } | undefined, running: boolean, hostConnected: boolean): 'busy' | 'not-running' | 'reconnecting' | 'failed' {
  if (error?.code === 'console-busy') return 'busy';
  if (!running) return 'not-running';
  if (!hostConnected) return 'reconnecting';
  if (error?.code === 'bad-arguments' || error?.code === 'not-found') return 'failed';
  return 'reconnecting';
}

export interface ConsoleSessionState {
  status: ConsoleStatus;
  error: ErrorInfo | undefined;
  /** Opens the console again, taking it over from another client when `force`. */
  reconnect(force?: boolean): void;
}

export function useConsoleSession(connect: ConsoleConnect, running: boolean, hostConnected: boolean): ConsoleSessionState {
  const [status, setStatus] = useState<ConsoleStatus>('connecting');
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [attempt, setAttempt] = useState(0);
  const force = useRef(false);
  const failures = useRef(0);
  const live = useRef({ running, hostConnected });
  live.current = { running, hostConnected };

  useEffect(() => {
    if (!running) {
      setStatus('not-running');
      return undefined;
    }
    if (!hostConnected) {
      setStatus((previous) => (previous === 'connecting' ? 'connecting' : 'reconnecting'));
      return undefined;
    }
    let disposed = false;
    let connection: ConsoleConnection | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const retryLater = (): void => {
      const delay = BACKOFF_MS[Math.min(failures.current, BACKOFF_MS.length - 1)] ?? 5000;
      failures.current += 1;
      timer = setTimeout(() => !disposed && setAttempt((value) => value + 1), delay);
    };
    const settle = (failure: ContractErrorShape | ErrorInfo | undefined): void => {
      if (disposed) return;
      const next = nextStatus(failure, live.current.running, live.current.hostConnected);
      setStatus(next);
      setError(failure ? toErrorInfo(failure) : undefined);
      if (next === 'reconnecting') retryLater();
    };
    const useForce = force.current;
    force.current = false;
    connect({ force: useForce, ended: (failure) => settle(failure) }).then(
      (opened) => {
        if (disposed) return opened.close();
        connection = opened;
        failures.current = 0;
        setStatus('connected');
        setError(undefined);
      },
      (failure: unknown) => settle(toErrorInfo(failure)),
    );
    return () => {
      disposed = true;
      if (timer) clearTimeout(timer);
      connection?.close();
    };
  }, [connect, running, hostConnected, attempt]);

  const reconnect = useCallback((takeOver = false) => {
    force.current = takeOver;
    failures.current = 0;
    setStatus('connecting');
    setAttempt((value) => value + 1);
  }, []);

  return { status, error, reconnect };
}
