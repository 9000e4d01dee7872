import { useT } from '../../i18n/useT.js';
import { useConnectionStore } from '../../store/connectionStore.js';
import { Dialog } from './Dialog.js';

export function AboutDialog({ onClose }: { onClose(): void }) {
  const t = useT();
  const info = useConnectionStore((state) => state.appInfo);
  const versions = Object.entries(info?.versions ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <Dialog title={t('about.title')} onClose={onClose} testId="about-dialog" size="small">
      <div className="about">
        <div className="about-mark" aria-hidden="true">
          V
        </div>
        <div>
          <p className="about-name">{info?.name ?? t('app.name')}</p>
          <p className="muted">{t('about.version', { version: info?.version ?? '?' })}</p>
        </div>
      </div>
      <p className="about-tagline">{t('app.tagline')}</p>
      <dl className="about-facts">
        <dt>{t('about.mode')}</dt>
        <dd>{info ? t(`statusbar.mode.${info.mode}`) : t('common.notAvailable')}</dd>
        <dt>{t('about.platform')}</dt>
        <dd className="mono">{info ? `${info.platform} / ${info.arch}` : t('common.notAvailable')}</dd>
        <dt>{t('about.license')}</dt>
        <dd>{t('about.licenseValue')}</dd>
      </dl>
      {versions.length > 0 && (
        <>
          <h3 className="dialog-subheading">{t('about.components')}</h3>
          <dl className="about-facts about-versions" data-testid="about-versions">
            {versions.map(([name, version]) => (
              <div key={name} className="about-version-row">
                <dt>{name}</dt>
                <dd className="mono">{version}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
    </Dialog>
  );
}
