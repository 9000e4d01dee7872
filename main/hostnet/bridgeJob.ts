/**
 * The scripts a bridge change leaves on the host, in its own backup folder
 * (/var/lib/virtdeck/bridge/<id>/): the saved originals (`orig/`, byte for byte), the new files
 * (`new/`), and
 *   start.sh   save the originals, arm the rollback outside the SSH session, start apply.sh detached
 *   apply.sh   the stack's steps (ifdown/ifup, netplan apply, nmcli …)
 *   fire.sh    the rollback: runs restore.sh unless disarm.sh won the race for `armed`
 *   restore.sh puts every original back and brings the old state up; records "rolled-back"
 *   disarm.sh  run by the app from its new connection; records "committed"
 * `armed` is taken by exactly one of fire.sh and disarm.sh (an atomic rename), so a late disarm
 * never races a restore. Pure: builds texts.
 */
import type { BridgeChangeRecord, RollbackMechanism } from '../../preload/contract.js';
import type { StackChange } from './writers/stackChange.js';
import { q } from './writers/stackChange.js';

export const BRIDGE_STATE_ROOT = '/var/lib/virtdeck/bridge';
const RECORD_FILE = `${BRIDGE_STATE_ROOT}/last`;

export interface JobFile {
  path: string;
  /** upload: new/<n> is sent by the app (absent when the change removes the file). copy: taken on the host from another backup's original (absent there: removed). */
  source: { kind: 'upload'; present: boolean } | { kind: 'copy'; from: string };
}

export interface BridgeJob {
  id: string;
  action: 'create' | 'remove';
  bridge: string;
  iface: string;
  rollbackSeconds: number;
  mechanism: RollbackMechanism;
  change: StackChange;
  files: JobFile[];
}

export function backupDir(id: string): string {
  return `${BRIDGE_STATE_ROOT}/${id}`;
}

function functions(job: BridgeJob): string[] {
  const d = backupDir(job.id);
  const install = job.files.map((f, n) => `  if [ -e ${q(`${d}/new/${n}`)} ]; then cp ${q(`${d}/new/${n}`)} ${q(f.path)}; else rm -f ${q(f.path)}; fi`);
  const restore = job.files.map((f, n) => `  if [ -e ${q(`${d}/orig/${n}`)} ]; then cp -p ${q(`${d}/orig/${n}`)} ${q(f.path)}; else rm -f ${q(f.path)}; fi`);
  return [
    `D=${q(d)}`,
    'install_new() {',
    '  :',
    ...install,
    '}',
    'restore_old() {',
    '  :',
    ...restore,
    '}',
    'record() {',
    // Readable by everyone (it names no secret), so the app's unprivileged read can report it.
    `  printf '%s %s %s %s %s %s %s\\n' ${q(job.id)} ${q(job.action)} ${q(job.bridge)} ${q(job.iface)} "$1" "$(date +%s)" "$D" > ${q(`${RECORD_FILE}.tmp`)} && chmod 644 ${q(`${RECORD_FILE}.tmp`)} && mv -f ${q(`${RECORD_FILE}.tmp`)} ${q(RECORD_FILE)}`,
    '  echo "$1" > "$D/state"',
    '}',
  ];
}

const SHEBANG = ['#!/bin/sh', '# Written by VirtDeck (bridge assistant).'];

/** Arms the rollback; the line that starts it is the last thing start.sh does before apply.sh. */
function armLines(job: BridgeJob): string[] {
  const seconds = job.rollbackSeconds;
  const detachedTimer = 'setsid nohup sh "$D/timer.sh" </dev/null >/dev/null 2>&1 &';
  switch (job.mechanism) {
    case 'systemd-run':
      return [`systemd-run --quiet --unit=${q(`virtdeck-rollback-${job.id}`)} --on-active=${seconds} sh "$D/fire.sh"`];
    case 'nm-checkpoint':
      // NetworkManager's own timer restores its devices and deletes the new profiles
      // (flags: destroy-all 1 | delete-new-connections 2 | disconnect-new-devices 4); ours fires
      // a little later and restores the files and the record.
      return [
        `busctl call org.freedesktop.NetworkManager /org/freedesktop/NetworkManager org.freedesktop.NetworkManager CheckpointCreate aouu 0 ${seconds} 7 | sed -n 's/^o "\\(.*\\)"$/\\1/p' > "$D/checkpoint"`,
        '[ -s "$D/checkpoint" ] || { echo "VDERR checkpoint" >&2; exit 4; }',
        detachedTimer,
      ];
    case 'setsid':
      return [detachedTimer];
  }
}

export function jobScripts(job: BridgeJob): Record<string, string> {
  const d = backupDir(job.id);
  const fns = functions(job);
  const timerDelay = job.mechanism === 'nm-checkpoint' ? job.rollbackSeconds + 10 : job.rollbackSeconds;
  const manifest = job.files.map((f, n) => `${n} ${f.path}`);
  const copies = job.files.flatMap((f, n) =>
    f.source.kind === 'copy' ? [`if [ -e ${q(f.source.from)} ]; then cp -p ${q(f.source.from)} ${q(`${d}/new/${n}`)}; fi`] : [],
  );
  const start = [
    ...SHEBANG,
    'set -eu',
    ...fns,
    'mkdir -p "$D/orig" "$D/new"',
    // The backup: every file the change touches, as it is now (absent ones stay absent).
    ...job.files.map((f, n) => `if [ -e ${q(f.path)} ]; then cp -p ${q(f.path)} ${q(`${d}/orig/${n}`)}; fi`),
    ...copies,
    '# Runtime state too, for whoever needs to look at it later.',
    'ip -j addr > "$D/runtime-addr.json" 2>/dev/null || true',
    'ip -j route > "$D/runtime-route.json" 2>/dev/null || true',
    'cp /etc/resolv.conf "$D/resolv.conf" 2>/dev/null || true',
    ': > "$D/armed"',
    'record armed',
    ...armLines(job),
    'setsid nohup sh "$D/apply.sh" </dev/null >"$D/apply.log" 2>&1 &',
    'echo VDSTARTED',
  ];
  const apply = [...SHEBANG, 'set -x', ...fns, ...job.change.apply, 'echo VDAPPLIED'];
  const timer = [...SHEBANG, 'echo $$ > "$(dirname "$0")/timer.pid"', `sleep ${timerDelay}`, 'exec sh "$(dirname "$0")/fire.sh"'];
  const fire = [...SHEBANG, `D=${q(d)}`, 'mv "$D/armed" "$D/fired" 2>/dev/null || exit 0', 'exec sh "$D/restore.sh" >>"$D/restore.log" 2>&1'];
  const restore = [...SHEBANG, 'set -x', ...fns, ...job.change.restore, 'record rolled-back'];
  const disarm = [
    ...SHEBANG,
    ...fns,
    'mv "$D/armed" "$D/disarmed" 2>/dev/null || { echo "VDERR fired" >&2; exit 3; }',
    'if [ -s "$D/timer.pid" ]; then kill "$(cat "$D/timer.pid")" 2>/dev/null || true; fi',
    ...(job.mechanism === 'systemd-run' ? [`systemctl stop ${q(`virtdeck-rollback-${job.id}.timer`)} 2>/dev/null || true`] : []),
    ...(job.mechanism === 'nm-checkpoint'
      ? ['busctl call org.freedesktop.NetworkManager /org/freedesktop/NetworkManager org.freedesktop.NetworkManager CheckpointDestroy o "$(cat "$D/checkpoint")"']
      : []),
    'record committed',
    'echo VDDISARMED',
  ];
  return {
    'manifest': `${manifest.join('\n')}\n`,
    'start.sh': `${start.join('\n')}\n`,
    'apply.sh': `${apply.join('\n')}\n`,
    'timer.sh': `${timer.join('\n')}\n`,
    'fire.sh': `${fire.join('\n')}\n`,
    'restore.sh': `${restore.join('\n')}\n`,
    'disarm.sh': `${disarm.join('\n')}\n`,
  };
}

/** The host's record line: `id action bridge iface state at dir`. */
export function parseRecord(line: string): BridgeChangeRecord | undefined {
  const [id, action, bridge, iface, state, at, dir] = line.trim().split(/\s+/);
  if (!id || (action !== 'create' && action !== 'remove') || !bridge || !iface || !dir) return undefined;
  if (state !== 'armed' && state !== 'committed' && state !== 'rolled-back') return undefined;
  const seconds = Number(at);
  if (!Number.isInteger(seconds)) return undefined;
  return { id, action, bridge, iface, state, at: seconds, backupDir: dir };
}
