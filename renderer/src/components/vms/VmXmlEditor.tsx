/**
 * The VM tab's XML section: the persistent definition (`dumpxml --inactive`) as text in a code
 * editor, saved with libvirt's schema check. What libvirt refuses changes nothing and its
 * message is shown; a definition that changed on the host since it was loaded is not
 * overwritten unless the user says so; an edit of the name or UUID is refused (it would
 * define a second VM).
 */
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import type { VmXmlDefinition } from '../../../../preload/contract.js';
import { toErrorInfo, type ErrorInfo } from '../../errors/errorInfo.js';
import { useT } from '../../i18n/useT.js';
import { requireClient } from '../../store/connectionStore.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { Icon } from '../common/Icon.js';
import { Spinner } from '../common/Spinner.js';
import { ConfirmDialog } from '../dialogs/ConfirmDialog.js';
import type { VmSectionProps } from './vmSections.js';
import './settings/vmSettings.css';

const XmlCodeEditor = lazy(() => import('./settings/XmlCodeEditor.js'));

type Notice =
  | { kind: 'saved' }
  | { kind: 'malformed'; message: string }
  | { kind: 'identity'; field: 'name' | 'uuid'; was: string; now: string }
  | { kind: 'rejected'; error: ErrorInfo };

export function VmXmlEditor({ hostId, vm, hostConnected }: VmSectionProps) {
  const t = useT();
  const [loaded, setLoaded] = useState<VmXmlDefinition | undefined>();
  const [loadError, setLoadError] = useState<ErrorInfo | undefined>();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | undefined>();
  /** The host's newer definition, while the user decides whether to overwrite it. */
  const [conflict, setConflict] = useState<VmXmlDefinition | undefined>();
  const running = vm.state !== 'shutoff';

  /** Unsaved edits, for the automatic read after a reconnect (which must not replace them). */
  const edited = useRef(false);
  const load = useCallback(async () => {
    setLoadError(undefined);
    try {
      const definition = await requireClient().call('vm.xml.read', { hostId, name: vm.name });
      setLoaded(definition);
      setText(definition.xml);
    } catch (error) {
      setLoadError(toErrorInfo(error));
    }
  }, [hostId, vm.name]);

  useEffect(() => {
    if (hostConnected && !edited.current) void load();
  }, [hostConnected, load]);

  const save = async (overwrite: boolean) => {
    if (!loaded) return;
    setBusy(true);
    setNotice(undefined);
    try {
      const result = await requireClient().call('vm.xml.define', { hostId, name: vm.name, xml: text, revision: loaded.revision, overwrite });
      switch (result.outcome) {
        case 'defined':
          setLoaded({ xml: result.xml, revision: result.revision });
          setText(result.xml);
          setNotice({ kind: 'saved' });
          break;
        case 'changed-on-host':
          setConflict({ xml: result.xml, revision: result.revision });
          break;
        case 'malformed':
          setNotice({ kind: 'malformed', message: result.message });
          break;
        case 'identity-changed':
          setNotice({ kind: 'identity', field: result.field, was: result.was, now: result.now });
          break;
      }
    } catch (error) {
      setNotice({ kind: 'rejected', error: toErrorInfo(error) });
    } finally {
      setBusy(false);
    }
  };

  const dirty = loaded !== undefined && text !== loaded.xml;
  useEffect(() => {
    edited.current = dirty;
  }, [dirty]);

  if (loadError) {
    return (
      <section className="page-section">
        <ErrorNotice title={t('vmXml.loadFailed')} error={loadError} />
        <div className="toolbar">
          <button type="button" className="button" onClick={() => void load()}>
            {t('vmXml.reload')}
          </button>
        </div>
      </section>
    );
  }
  if (!loaded) {
    return (
      <section className="page-section">
        <p className="loading-line">
          <Spinner size="small" /> {t('vmXml.loading')}
        </p>
      </section>
    );
  }

  return (
    <section className="page-section vm-xml" data-testid="vm-xml" data-dirty={dirty ? 'true' : 'false'}>
      <p className="muted">{t(running ? 'vmXml.introRunning' : 'vmXml.intro')}</p>
      {notice?.kind === 'saved' && (
        <div className="callout callout-info" role="status" data-testid="xml-saved">
          <Icon name="check" className="callout-icon" />
          <div className="callout-body">
            <p>{t(running ? 'vmXml.savedRunning' : 'vmXml.saved')}</p>
          </div>
        </div>
      )}
      {notice?.kind === 'malformed' && (
        <div className="callout callout-danger" role="alert" data-testid="xml-error">
          <Icon name="alertCircle" className="callout-icon" />
          <div className="callout-body">
            <p className="callout-title">{t('vmXml.malformed')}</p>
            <pre className="detail-text">{notice.message}</pre>
          </div>
        </div>
      )}
      {notice?.kind === 'identity' && (
        <div className="callout callout-danger" role="alert" data-testid="xml-error">
          <Icon name="alertCircle" className="callout-icon" />
          <div className="callout-body">
            <p className="callout-title">{t(notice.field === 'name' ? 'vmXml.nameChanged' : 'vmXml.uuidChanged')}</p>
            <p>{t(notice.field === 'name' ? 'vmXml.nameChangedHint' : 'vmXml.uuidChangedHint', { was: notice.was, now: notice.now })}</p>
          </div>
        </div>
      )}
      {notice?.kind === 'rejected' && (
        <div data-testid="xml-error">
          <ErrorNotice title={t('vmXml.rejected')} error={notice.error} />
        </div>
      )}
      <div className="xml-editor-frame">
        <Suspense
          fallback={
            <p className="loading-line">
              <Spinner size="small" /> {t('vmXml.loadingEditor')}
            </p>
          }
        >
          <XmlCodeEditor value={text} onChange={setText} readOnly={!hostConnected} ariaLabel={t('vmXml.editorLabel', { name: vm.name })} />
        </Suspense>
      </div>
      <div className="toolbar">
        <button type="button" className="button button-primary" data-testid="xml-save" disabled={!dirty || busy || !hostConnected} onClick={() => void save(false)}>
          {busy ? <Spinner size="small" /> : <Icon name="check" />} {t('vmXml.save')}
        </button>
        <button type="button" className="button" data-testid="xml-revert" disabled={!dirty || busy} onClick={() => setText(loaded.xml)}>
          {t('vmXml.revert')}
        </button>
        <button type="button" className="button" data-testid="xml-reload" disabled={busy || !hostConnected} onClick={() => void load().then(() => setNotice(undefined))}>
          <Icon name="refresh" /> {t('vmXml.reload')}
        </button>
      </div>
      {conflict && (
        <ConfirmDialog
          title={t('vmXml.conflictTitle')}
          body={t('vmXml.conflictBody', { name: vm.name })}
          confirmLabel={t('vmXml.overwrite')}
          danger
          testId="xml-conflict"
          onConfirm={() => {
            setConflict(undefined);
            void save(true);
          }}
          onCancel={() => setConflict(undefined)}
        >
          <div className="toolbar">
            <button
              type="button"
              className="button"
              data-testid="xml-load-host-version"
              onClick={() => {
                setLoaded(conflict);
                setText(conflict.xml);
                setConflict(undefined);
                setNotice(undefined);
              }}
            >
              {t('vmXml.loadHostVersion')}
            </button>
          </div>
        </ConfirmDialog>
      )}
    </section>
  );
}
