import { useState } from 'react';
import type { Task, TaskLogLine } from '../../../../preload/contract.js';
import { formatTime } from '../../format/formatDateTime.js';
import type { Translator } from '../../i18n/translate.js';
import { useT } from '../../i18n/useT.js';
import { cancelTask } from '../../services/taskCancel.js';
import { findHost, useHostsStore } from '../../store/hostsStore.js';
import { Icon, type IconName } from '../common/Icon.js';
import { Spinner } from '../common/Spinner.js';
import { CapacityBar } from '../pools/CapacityBar.js';
import { hostDisplayName } from '../../i18n/hostDisplayName.js';

const stateIcon: Record<Exclude<Task['state'], 'running'>, IconName> = {
  succeeded: 'check',
  failed: 'alertCircle',
  cancelled: 'close',
  interrupted: 'alert',
};

function logText(line: TaskLogLine, t: Translator): string {
  if (line.key) return t.dynamic(line.key, line.params);
  return line.text ?? '';
}

function TaskLog({ task }: { task: Task }) {
  const t = useT();
  return (
    <ol className="task-log" data-testid="task-log">
      {task.logDropped ? <li className="task-log-dropped">{t('tasks.logDropped', { count: task.logDropped })}</li> : null}
      {(task.log ?? []).map((line, index) => (
        <li key={index} className={`task-log-line task-log-${line.level}`} data-level={line.level}>
          <span className="task-log-time">{formatTime(line.at, t.language)}</span>
          <span className="task-log-text">{logText(line, t)}</span>
        </li>
      ))}
    </ol>
  );
}

export function TaskRow({ task }: { task: Task }) {
  const t = useT();
  const host = useHostsStore((state) => (task.hostId ? findHost(state.hosts, task.hostId) : undefined));
  const [showLog, setShowLog] = useState(false);
  const hostLabel = host ? hostDisplayName(host, t) : (task.hostId ?? null);
  const percent = task.progress === null ? null : Math.round(task.progress * 100);
  const hasLog = (task.log?.length ?? 0) > 0;
  return (
    <li className={`task-row task-${task.state}`} data-testid="task-row" data-state={task.state} data-title-key={task.titleKey}>
      <span className="task-icon">{task.state === 'running' ? <Spinner size="small" /> : <Icon name={stateIcon[task.state]} size={15} />}</span>
      <div className="task-main">
        <div className="task-title">{t.dynamic(task.titleKey, task.titleParams)}</div>
        <div className="task-meta">
          {[hostLabel, t(`taskState.${task.state}`), formatTime(task.startedAt, t.language)].filter(Boolean).join(' · ')}
          {task.state === 'running' && percent !== null && ` · ${t('tasks.percent', { percent })}`}
        </div>
        {task.state === 'running' && percent !== null && <CapacityBar percent={percent} compact />}
        {task.error && task.state === 'failed' && <pre className="detail-text">{task.error}</pre>}
        {task.state === 'interrupted' && <p className="task-note">{t('tasks.interruptedNote')}</p>}
        {showLog && hasLog && <TaskLog task={task} />}
      </div>
      <div className="task-actions">
        {hasLog && (
          <button type="button" className="link-button" data-testid="task-log-toggle" aria-expanded={showLog} onClick={() => setShowLog(!showLog)}>
            {t(showLog ? 'tasks.hideLog' : 'tasks.showLog')}
          </button>
        )}
        {task.state === 'running' && task.cancellable && (
          <button type="button" className="button button-small" data-testid="task-cancel" onClick={() => void cancelTask(task.id)}>
            {t('tasks.cancel')}
          </button>
        )}
      </div>
    </li>
  );
}
