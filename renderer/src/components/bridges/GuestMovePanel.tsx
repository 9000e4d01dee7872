/**
 * After a bridge is up: move chosen guests' interfaces onto it (their persistent definitions;
 * a running guest gets the new source at its next start).
 */
import { useEffect, useState } from 'react';
import type { VmNic } from '../../../../preload/contract.js';
import { toErrorInfo, type ErrorInfo } from '../../errors/errorInfo.js';
import { useT } from '../../i18n/useT.js';
import { requireClient } from '../../store/connectionStore.js';
import { useInventoryStore } from '../../store/inventoryStore.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { Spinner } from '../common/Spinner.js';

interface Candidate {
  vm: string;
  nic: VmNic;
}

const MAX_GUESTS = 100;

export function GuestMovePanel({ hostId, bridge }: { hostId: string; bridge: string }) {
  const t = useT();
  const vms = useInventoryStore((state) => state.byHost[hostId]?.vms);
  const [candidates, setCandidates] = useState<Candidate[]>();
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [moved, setMoved] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<ErrorInfo>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void (async () => {
      const out: Candidate[] = [];
      for (const vm of (vms ?? []).slice(0, MAX_GUESTS)) {
        const details = await requireClient().call('vm.details', { hostId, name: vm.name }).catch(() => undefined);
        for (const nic of details?.nics ?? []) if (!(nic.type === 'bridge' && nic.source === bridge)) out.push({ vm: vm.name, nic });
      }
      if (live) setCandidates(out);
    })();
    return () => {
      live = false;
    };
  }, [hostId, bridge, vms]);

  const key = (c: Candidate) => `${c.vm}/${c.nic.mac}`;
  const move = async () => {
    setBusy(true);
    setError(undefined);
    try {
      for (const c of candidates ?? []) {
        if (!chosen.has(key(c)) || moved.has(key(c))) continue;
        await requireClient().call('hostnet.guest.attach', { hostId, name: c.vm, mac: c.nic.mac, bridge });
        setMoved((m) => new Set([...m, key(c)]));
      }
    } catch (err) {
      setError(toErrorInfo(err));
    } finally {
      setBusy(false);
    }
  };

  if (!candidates) return <Spinner label={t('hostnet.guests.loading')} />;
  if (candidates.length === 0) return <p className="muted">{t('hostnet.guests.none')}</p>;
  return (
    <div className="guest-move" data-testid="guest-move">
      <h3 className="bridge-file">{t('hostnet.guests.title', { bridge })}</h3>
      {error && <ErrorNotice title={t('hostnet.guests.failed')} error={error} />}
      <ul className="guest-move-list">
        {candidates.map((c) => (
          <li key={key(c)}>
            <label className="checkbox-label">
              <input
                type="checkbox"
                className="checkbox"
                data-testid={`move-${c.vm}-${c.nic.mac}`}
                checked={chosen.has(key(c)) || moved.has(key(c))}
                disabled={moved.has(key(c)) || busy}
                onChange={(e) => setChosen((s) => (e.target.checked ? new Set([...s, key(c)]) : new Set([...s].filter((k) => k !== key(c)))))}
              />
              <span>
                {c.vm} <span className="mono">{c.nic.mac}</span> <span className="muted">{t('hostnet.guests.now', { type: c.nic.type, source: c.nic.source ?? '' })}</span>
                {moved.has(key(c)) && <strong> {t('hostnet.guests.moved')}</strong>}
              </span>
            </label>
          </li>
        ))}
      </ul>
      <button type="button" className="button" data-testid="guest-move-ok" disabled={busy || [...chosen].every((k) => moved.has(k))} onClick={() => void move()}>
        {t('hostnet.guests.move', { bridge })}
      </button>
      <p className="muted small">{t('hostnet.guests.hint')}</p>
    </div>
  );
}
