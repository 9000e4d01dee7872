/** Pieces the bridge dialogs share: the preview (diffs and commands) and the outcome in words. */
import type { BridgeOutcome, BridgePreview } from '../../../../preload/contract.js';
import { useT } from '../../i18n/useT.js';
import { Icon } from '../common/Icon.js';

function DiffText({ diff }: { diff: string }) {
  return (
    <pre className="bridge-diff">
      {diff.split('\n').map((line, i) => (
        <span key={i} className={line.startsWith('+') && !line.startsWith('+++') ? 'diff-add' : line.startsWith('-') && !line.startsWith('---') ? 'diff-del' : line.startsWith('@@') ? 'diff-hunk' : undefined}>
          {line}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}

export function PreviewView({ preview }: { preview: BridgePreview }) {
  const t = useT();
  return (
    <div data-testid="bridge-preview-view">
      {preview.files.map((f) => (
        <div key={f.path}>
          <h3 className="bridge-file">
            {t(`hostnet.fileKind.${f.kind}`)} <span className="mono">{f.path}</span>
          </h3>
          <DiffText diff={f.diff} />
        </div>
      ))}
      <h3 className="bridge-file">{t('hostnet.commands')}</h3>
      <pre className="bridge-diff" data-testid="bridge-commands">
        {preview.commands.join('\n')}
      </pre>
      <p className="muted">{t('hostnet.previewNote')}</p>
    </div>
  );
}

export function BridgeOutcomeNotice({ outcome, bridge, iface, action }: { outcome: BridgeOutcome; bridge: string; iface: string; action: 'create' | 'remove' }) {
  const t = useT();
  const ok = outcome.outcome === 'committed';
  return (
    <div className={`callout ${ok ? 'callout-info' : 'callout-warn'}`} role="status" data-testid="bridge-outcome" data-outcome={outcome.outcome}>
      <Icon name={ok ? 'check' : 'alert'} className="callout-icon" />
      <div className="callout-body">
        <p className="callout-title">
          {ok ? t(action === 'create' ? 'hostnet.committedCreate' : 'hostnet.committedRemove', { bridge, iface }) : t('hostnet.rolledBackTitle')}
        </p>
        <p>{ok ? t('hostnet.committedDetail', { seconds: Math.round(outcome.seconds) }) : t(action === 'create' ? 'hostnet.rolledBackNowCreate' : 'hostnet.rolledBackNowRemove', { bridge, iface, seconds: Math.round(outcome.seconds) })}</p>
        <p>
          {t('hostnet.backupAt')} <span className="mono">{outcome.backupDir}</span>
        </p>
      </div>
    </div>
  );
}
