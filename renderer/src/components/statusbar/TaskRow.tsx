import type { Task } from '../../../../preload/contract.js';
import { formatTime } from '../../format/formatDateTime.js';
import { useT } from '../../i18n/useT.js';
import { cancelTask } from '../../services/taskCancel.js';
import { findHost, useHostsStore } from '../../store/hostsStore.js';
import { Icon } from '../common/Icon.js';
import { Spinner } from '../common/Spinner.js';
import { CapacityBar } from '../pools/CapacityBar.js';
import { hostDisplayName } from '../../i18n/hostDisplayName.js';

export function TaskRow({ task }: { task: Task }) {
  const t = useT();
  const host = useHostsStore((state) => (task.hostId ? findHost(state.hosts, task.hostId) : undefined));
  const hostLabel = host ? hostDisplayName(host, t) : (task.hostId ?? null);
  const percent = task.progress === null ? null : Math.round(task.progress * 100);
  return (
    <li className={`task-row task-${task.state}`} data-testid="task-row" data-state={task.state}>
      <span className="task-icon">
        {task.state === 'running' ? (
          <Spinner size="small" />
        ) : (
          <Icon name={task.state === 'succeeded' ? 'check' : task.state === 'failed' ? 'alertCircle' : 'close'} size={15} />
        )}
      </span>
      <div className="task-main">
        <div className="task-title">{t.dynamic(task.titleKey, task.titleParams)}</div>
        <div className="task-meta">
          {[hostLabel, t(`taskState.${task.state}`), formatTime(task.startedAt, t.language)].filter(Boolean).join(' · ')}
          {task.state === 'running' && percent !== null && ` · ${t('tasks.percent', { percent })}`}
        </div>
        {task.state === 'running' && percent !== null && <CapacityBar percent={percent} compact />}
        {task.error && task.state === 'failed' && <pre className="detail-text">{task.error}</pre>}
      </div>
      {task.state === 'running' && task.cancellable && (
        <button type="button" className="button button-small" onClick={() => void cancelTask(task.id)}>
          {t('tasks.cancel')}
        </button>
      )}
    </li>
  );
}
