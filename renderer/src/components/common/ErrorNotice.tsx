/** An inline error: the translated sentence and, below it, what the other side said. */
import { errorDetailText, errorMessageKey, type ErrorInfo } from '../../errors/errorInfo.js';
import { useT } from '../../i18n/useT.js';
import { Icon } from './Icon.js';

export function ErrorNotice({ title, error }: { title: string; error: ErrorInfo }) {
  const t = useT();
  const detail = errorDetailText(error);
  return (
    <div className="callout callout-danger" role="alert">
      <Icon name="alertCircle" className="callout-icon" />
      <div className="callout-body">
        <p className="callout-title">{title}</p>
        <p>{t(errorMessageKey(error))}</p>
        {detail && <pre className="detail-text">{detail}</pre>}
      </div>
    </div>
  );
}
