/** "Retrying in 12 s", counting down live until main's next automatic attempt. */
import { useNow } from '../../hooks/useNow.js';
import { useT } from '../../i18n/useT.js';
import { secondsUntil } from '../../model/retryCountdown.js';

export function RetryCountdown({ at }: { at: number }) {
  const t = useT();
  const now = useNow(1000);
  const seconds = secondsUntil(at, now);
  return (
    <p className="retry-countdown" data-testid="host-retry-countdown" data-seconds={seconds} aria-live="off">
      {seconds > 0 ? t('host.retryingIn', { seconds }) : t('host.retryingNow')}
    </p>
  );
}
