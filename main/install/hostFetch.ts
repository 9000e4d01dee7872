/**
 * Fetching a URL BY THE HOST (never by this computer): curl where the host has it, wget
 * otherwise, as a job on its own channel (bounded in time, cancellable: a cancelled fetch kills
 * curl/wget on the host). Three modes: a small text file to stdout, an existence check (HEAD /
 * spider), and a download into a file on the host.
 *
 * The outcome says whether the file is missing (HTTP 404/410, FTP "no such file": the server
 * answered) or the server could not be reached or refused (connection, DNS, TLS, timeout, other
 * HTTP errors), in the tool's own words, so the caller can tell "not an install tree" from
 * "unreachable".
 */
import { runRemoteJob, type RemoteJobResult } from '../connection/remoteJob.js';
import type { ProcessRunner } from '../connection/hostProcess.js';
import { InstallSourceError } from './sourceErrors.js';

/**
 * Arguments: MODE URL SECONDS [OUT]. The tool and its exit status go to stderr as the last line
 * `VDFETCH <tool> <status>`. Constant text; the arguments travel as positional parameters.
 * For `file`, a stall (under 1 byte/s for SECONDS) ends the download, not its total length.
 */
export const FETCH_SCRIPT = [
  'set -u',
  'mode=$1 url=$2 t=$3 out=${4:-/dev/null}',
  'if command -v curl >/dev/null 2>&1; then tool=curl; ' +
    'case $mode in ' +
    'text) curl -fsSL --proto =http,https,ftp --max-time "$t" --max-filesize 4194304 -- "$url";; ' +
    'head) curl -fsSL --proto =http,https,ftp --max-time "$t" -I -o /dev/null -- "$url";; ' +
    'file) curl -fsSL --proto =http,https,ftp --connect-timeout "$t" --speed-limit 1 --speed-time "$t" -o "$out" -- "$url";; ' +
    'esac; rc=$?; ' +
    'elif command -v wget >/dev/null 2>&1; then tool=wget; ' +
    'case $mode in ' +
    'text) wget -nv -t 1 -T "$t" -O - -- "$url";; ' +
    'head) wget -nv -t 1 -T "$t" --spider -- "$url";; ' +
    'file) wget -nv -t 1 -T "$t" -O "$out" -- "$url";; ' +
    'esac; rc=$?; ' +
    'else echo "VDFETCH none 127" >&2; exit 3; fi',
  'echo "VDFETCH $tool $rc" >&2',
  'exit $rc',
].join('; ');

export type FetchMode = 'text' | 'head' | 'file';

export type FetchOutcome =
  | { ok: true; text: string; tool: 'curl' | 'wget' }
  /** The server answered that there is no such file. */
  | { ok: false; kind: 'missing'; reason: string }
  /** Not reached, refused, timed out, or another error status. */
  | { ok: false; kind: 'unreachable'; reason: string };

export interface FetchOptions {
  signal?: AbortSignal;
  /** For text and head: the whole request; for file: how long a stall may last (default 20 s). */
  seconds?: number;
  /** The job's own limit (default: text/head 2 × seconds + 10 s, file 6 h). */
  timeoutMs?: number;
}

const URL_PATTERN = /^(https?|ftp):\/\/[^\s/?#]+[^\s]*$/i;

/** Refuses what is not an http(s)/ftp URL before anything runs on the host. */
export function checkInstallUrl(url: string): string {
  const trimmed = url.trim();
  if (!URL_PATTERN.test(trimmed) || /[\0\n\r]/.test(trimmed)) {
    throw new InstallSourceError('bad-arguments', 'bad-url', `${trimmed || 'The address'} is not an http, https or ftp address.`, { url: trimmed });
  }
  return trimmed;
}

/** Reads curl's or wget's exit into an outcome. Exported for unit tests. */
export function fetchOutcome(result: Pick<RemoteJobResult, 'code' | 'stdout' | 'stderr'>): FetchOutcome {
  const status = /VDFETCH (\S+) (\d+)\s*$/.exec(result.stderr);
  const words = result.stderr.replace(/VDFETCH .*$/m, '').trim();
  if (!status || status[1] === 'none') {
    throw new InstallSourceError('file-error', 'no-fetch-tool', 'The host has neither curl nor wget, so it cannot download from the network.');
  }
  const tool = status[1] as 'curl' | 'wget';
  const code = Number(status[2]);
  if (code === 0 && result.code === 0) return { ok: true, text: result.stdout, tool };
  const httpStatus = /(?:returned error|ERROR):? (\d{3})/.exec(words)?.[1];
  const reason = words.split('\n').filter(Boolean).pop() ?? `${tool} exit ${code}`;
  if (httpStatus === '404' || httpStatus === '410') return { ok: false, kind: 'missing', reason };
  // curl: 78 no such remote file (FTP), 9 FTP directory refused; wget: 8 the server answered an error.
  if (tool === 'curl' && (code === 78 || code === 9)) return { ok: false, kind: 'missing', reason };
  if (tool === 'wget' && code === 8 && (httpStatus === undefined || /No such (file|directory)/i.test(words))) return { ok: false, kind: 'missing', reason };
  return { ok: false, kind: 'unreachable', reason };
}

/** Runs one fetch on the host. A cancelled fetch throws `cancelled`. */
export async function hostFetch(runner: ProcessRunner, mode: FetchMode, url: string, options: FetchOptions & { out?: string } = {}): Promise<FetchOutcome> {
  const seconds = options.seconds ?? 20;
  const timeoutMs = options.timeoutMs ?? (mode === 'file' ? 6 * 60 * 60_000 : seconds * 2_000 + 10_000);
  const result = await runRemoteJob(runner, ['sh', '-c', FETCH_SCRIPT, 'sh', mode, url, String(seconds), ...(options.out ? [options.out] : [])], {
    timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return fetchOutcome(result);
}
