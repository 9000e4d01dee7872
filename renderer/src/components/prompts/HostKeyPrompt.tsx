/**
 * First connection to a host (or a jump host): show its key and ask whether to trust it.
 * The fingerprint is what the user compares with the server's own `ssh-keygen -lf`.
 */
import { useEffect, useRef } from 'react';
import type { Prompt } from '../../../../preload/contract.js';
import { useT } from '../../i18n/useT.js';
import { hostKeyFileName } from '../../model/hostKeyFile.js';
import { answerPrompt } from '../../services/promptAnswer.js';
import { findHost, useHostsStore } from '../../store/hostsStore.js';

type HostKeyQuestion = Extract<Prompt, { kind: 'host-key' }>;

export function HostKeyPrompt({ prompt, busy }: { prompt: HostKeyQuestion; busy: boolean }) {
  const t = useT();
  const rejectRef = useRef<HTMLButtonElement>(null);
  // A jump host's key is asked about too: say so when the key is not the host's own.
  const hostAddress = useHostsStore((state) => findHost(state.hosts, prompt.hostId)?.address);
  // The safe choice has the focus: Enter must never trust a key by accident.
  useEffect(() => rejectRef.current?.focus(), []);
  const decide = (decision: 'once' | 'always' | 'reject'): void => void answerPrompt(prompt.promptId, { kind: 'host-key', decision });
  const endpoint = `${prompt.host}:${prompt.port}`;
  return (
    <div className="prompt">
      <p className="prompt-lead">
        {t('prompt.hostKey.lead', { host: prompt.hostLabel })} <span className="mono prompt-endpoint">({endpoint})</span>
      </p>
      {hostAddress !== undefined && hostAddress !== prompt.host && (
        <p className="prompt-note">{t('prompt.hostKey.viaNote', { host: prompt.hostLabel, endpoint })}</p>
      )}
      <dl className="key-facts prompt-key">
        <dt>{t('hostKey.keyType')}</dt>
        <dd className="mono" data-testid="prompt-keytype">
          {prompt.keyType}
        </dd>
        <dt>{t('hostKey.fingerprint')}</dt>
        <dd className="mono selectable key-fingerprint" data-testid="prompt-fingerprint">
          {prompt.fingerprint}
        </dd>
      </dl>
      <p className="prompt-explain">{t('prompt.hostKey.explain')}</p>
      <pre className="prompt-command mono selectable">ssh-keygen -lf {hostKeyFileName(prompt.keyType)}</pre>
      <p className="prompt-explain">{t('prompt.hostKey.rememberNote')}</p>
      <div className="prompt-actions">
        <button ref={rejectRef} type="button" className="button" data-autofocus data-testid="prompt-hostkey-reject" disabled={busy} onClick={() => decide('reject')}>
          {t('prompt.hostKey.reject')}
        </button>
        <span className="prompt-actions-spacer" />
        <button type="button" className="button" data-testid="prompt-hostkey-once" disabled={busy} onClick={() => decide('once')}>
          {t('prompt.hostKey.once')}
        </button>
        <button type="button" className="button button-primary" data-testid="prompt-hostkey-always" disabled={busy} onClick={() => decide('always')}>
          {t('prompt.hostKey.always')}
        </button>
      </div>
    </div>
  );
}
