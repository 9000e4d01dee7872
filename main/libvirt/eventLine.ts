/**
 * One line printed by `virsh event --all`, `virsh net-event` or `virsh pool-event` (with
 * `--timestamp`) → a typed event. Formats as libvirt 9.0 prints them:
 *
 *   2026-11-21 21:51:46.261+0000: event 'lifecycle' for domain 'NAME': Started Booted
 *   2026-11-21 21:51:55.367+0000: event 'lifecycle' for network NAME: Started
 *   2026-11-21 21:51:54.956+0000: event 'lifecycle' for storage pool NAME: Started
 *   … event 'reboot' for domain 'NAME'
 *   … event 'tray-change' for domain 'NAME' disk hdc: opened
 *   … event 'tunable' for domain 'NAME':        (followed by tab-indented lines)
 *
 * virsh prints names raw: quotes, `': `, spaces and CJK inside a name are not escaped, and
 * networks and pools are not even quoted. The name is therefore cut where the event type's own
 * format says it ends, searching from the end of the line (the tail after the name is libvirt's
 * own vocabulary, the name is not).
 */

export type LibvirtEventKind = 'domain' | 'network' | 'pool';

export interface LibvirtEvent {
  kind: LibvirtEventKind;
  name: string;
  /**
   * For lifecycle events the lifecycle word (Defined, Undefined, Started, Suspended, Resumed,
   * Stopped, Shutdown, PMSuspended, Crashed; pools also Created, Deleted); for every other
   * event type the virsh type name (reboot, rtc-change, tray-change, refresh, …).
   */
  event: string;
  /** Lifecycle: the reason ("Booted", "Destroyed", "Finished after host request"); others: the rest of the line. */
  detail?: string;
  /** When virsh printed the event, ISO 8601 with offset (from `--timestamp`). */
  at?: string;
}

/** `2026-11-21 21:51:46.261+0000: ` as printed by virTimeStringNowRaw. */
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}\.\d{3})([+-]\d{2})(\d{2}): /;
const HEAD = /^event '([^']+)' for (domain '|network |storage pool )/;

/** Domain event types whose line is just `event 'TYPE' for domain 'NAME'`. */
const BARE_TYPES = new Set(['reboot', 'control-error', 'pm-wakeup', 'pm-suspend', 'pm-suspend-disk']);
/** Domain event types whose details follow on further lines: `… for domain 'NAME':`. */
const HEADER_TYPES = new Set(['tunable', 'job-completed', 'memory-failure', 'memory-device-size-change']);
/** Domain event types that name a disk right after the domain: `… for domain 'NAME' disk ALIAS: …`. */
const DISK_TYPES = new Set(['disk-change', 'tray-change']);

interface NameAndTail {
  name: string;
  tail?: string;
}

function splitAtLast(rest: string, separator: string): NameAndTail | undefined {
  const index = rest.lastIndexOf(separator);
  if (index < 0) return undefined;
  return { name: rest.slice(0, index), tail: rest.slice(index + separator.length) };
}

function domainNameAndTail(type: string, rest: string): NameAndTail | undefined {
  if (BARE_TYPES.has(type)) return rest.endsWith("'") ? { name: rest.slice(0, -1) } : undefined;
  if (HEADER_TYPES.has(type)) return rest.endsWith("':") ? { name: rest.slice(0, -2) } : undefined;
  if (DISK_TYPES.has(type)) {
    const split = splitAtLast(rest, "' disk ");
    return split && { name: split.name, tail: `disk ${split.tail ?? ''}` };
  }
  // lifecycle and every `…'NAME': DETAIL` type; also the best guess for types newer than 9.0.
  return splitAtLast(rest, "': ") ?? (rest.endsWith("':") ? { name: rest.slice(0, -2) } : rest.endsWith("'") ? { name: rest.slice(0, -1) } : undefined);
}

/** Networks and pools: `NAME: DETAIL`, or just `NAME` (pool refresh). */
function plainNameAndTail(rest: string): NameAndTail {
  return splitAtLast(rest, ': ') ?? { name: rest };
}

/**
 * Parses one line of virsh event output; undefined for anything that is not an event head
 * (continuation lines of multi-line events, "events received: N", blank lines).
 */
export function parseEventLine(line: string): LibvirtEvent | undefined {
  let rest = line.replace(/\r?\n$/, '');
  let at: string | undefined;
  const stamp = TIMESTAMP.exec(rest);
  if (stamp) {
    at = `${stamp[1]}T${stamp[2]}${stamp[3]}:${stamp[4]}`;
    rest = rest.slice(stamp[0].length);
  }
  const head = HEAD.exec(rest);
  if (!head) return undefined;
  const type = head[1] ?? '';
  const target = head[2];
  rest = rest.slice(head[0].length);

  const kind: LibvirtEventKind = target === "domain '" ? 'domain' : target === 'network ' ? 'network' : 'pool';
  const parts = kind === 'domain' ? domainNameAndTail(type, rest) : plainNameAndTail(rest);
  if (!parts || parts.name === '') return undefined;

  const event: LibvirtEvent = { kind, name: parts.name, event: type };
  const tail = parts.tail?.trim();
  if (type === 'lifecycle' && tail) {
    // "Started Booted", "Shutdown Finished after host request": the word, then the reason.
    const space = tail.indexOf(' ');
    event.event = space < 0 ? tail : tail.slice(0, space);
    if (space >= 0) event.detail = tail.slice(space + 1);
  } else if (tail) {
    event.detail = tail;
  }
  if (at) event.at = at;
  return event;
}
