import type { Task } from '../../../../preload/contract.js';
import { useT } from '../../i18n/useT.js';
import { clearFinishedTasks } from '../../services/taskCancel.js';
import { TaskRow } from './TaskRow.js';

export function TaskPopover({ tasks, id }: { tasks: readonly Task[]; id: string }) {
  const t = useT();
  const anyFinished = tasks.some((task) => task.state !== 'running');
  return (
    <div className="popover task-popover" id={id} role="dialog" aria-label={t('tasks.title')} data-testid="task-popover">
      <div className="popover-header">
        <h2>{t('tasks.title')}</h2>
        {anyFinished && (
          <button type="button" className="link-button" data-testid="tasks-clear-finished" onClick={() => void clearFinishedTasks()}>
            {t('tasks.clearFinished')}
          </button>
        )}
      </div>
      {tasks.length === 0 ? (
        <p className="popover-empty">{t('tasks.empty')}</p>
      ) : (
        <ul className="task-list">
          {tasks.map((task) => (
            <TaskRow key={task.id} task={task} />
          ))}
        </ul>
      )}
    </div>
  );
}
