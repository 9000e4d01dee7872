/** Running and failed tasks in the status bar; a click shows the task list above it. */
import { useEffect, useId, useMemo, useRef } from 'react';
import { useT } from '../../i18n/useT.js';
import { useTasksStore, visibleTasks } from '../../store/tasksStore.js';
import { useUiStore } from '../../store/uiStore.js';
import { Icon } from '../common/Icon.js';
import { Spinner } from '../common/Spinner.js';
import { TaskPopover } from './TaskPopover.js';

export function TaskActivity() {
  const t = useT();
  const allTasks = useTasksStore((state) => state.tasks);
  const cleared = useTasksStore((state) => state.cleared);
  const open = useUiStore((state) => state.taskPopoverOpen);
  const setOpen = useUiStore((state) => state.setTaskPopoverOpen);
  const containerRef = useRef<HTMLDivElement>(null);
  const popoverId = useId();

  const tasks = useMemo(() => visibleTasks(allTasks, cleared), [allTasks, cleared]);
  const running = tasks.filter((task) => task.state === 'running').length;
  const failed = tasks.filter((task) => task.state === 'failed').length;

  useEffect(() => {
    if (!open) return undefined;
    const onPointerDown = (event: PointerEvent): void => {
      if (!containerRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [open, setOpen]);

  const label =
    running > 0 ? t.count('statusbar.tasksRunning', running) : failed > 0 ? '' : t('statusbar.tasksIdle');
  return (
    <div className="status-popover-anchor" ref={containerRef}>
      <button
        type="button"
        className={`status-item status-button${failed > 0 ? ' status-danger' : ''}`}
        data-testid="task-activity"
        data-running={running}
        data-failed={failed}
        aria-expanded={open}
        aria-controls={open ? popoverId : undefined}
        title={t('tasks.title')}
        onClick={() => setOpen(!open)}
      >
        {running > 0 ? <Spinner size="small" /> : <Icon name="activity" size={14} />}
        {label && <span className={running > 0 ? undefined : 'status-quiet'}>{label}</span>}
        {failed > 0 && (
          <span className="status-failed">
            <Icon name="alertCircle" size={14} />
            {t.count('statusbar.tasksFailed', failed)}
          </span>
        )}
      </button>
      {open && <TaskPopover tasks={tasks} id={popoverId} />}
    </div>
  );
}
