import { useT } from '../../i18n/useT.js';
import { Spinner } from '../common/Spinner.js';

export function StartupLoading() {
  const t = useT();
  return (
    <div className="fullscreen-center startup-loading">
      <Spinner />
      <p>{t('app.loading')}</p>
    </div>
  );
}
