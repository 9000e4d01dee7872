/** `advisor.*`: the fleet advisor's findings, its settings, export and remedies. */
import type { advisorCalls, vmSettingsCalls } from '../../../preload/contract.js';
import type { HandlersOf } from '../../core/registry.js';
import { exportFindings } from '../../advisor/findingsExport.js';
import type { HostService } from '../hosts/hostService.js';
import type { TaskService } from '../tasks/taskService.js';
import type { AdvisorService } from './advisorService.js';
import { runRemedy } from './remedies.js';

export function advisorHandlers(advisor: AdvisorService, hosts: HostService, tasks: TaskService, vmSettings: HandlersOf<typeof vmSettingsCalls>): HandlersOf<typeof advisorCalls> {
  return {
    'advisor.findings': async () => advisor.report(),
    'advisor.refresh': () => advisor.refresh(),
    'advisor.setCpuRatio': ({ ratio }) => advisor.setCpuRatio(ratio),
    'advisor.silence': ({ findingId, silenced }) => advisor.silence(findingId, silenced),
    'advisor.export': async ({ format }) => exportFindings(advisor.report(), format, (hostId) => hosts.find(hostId)?.getSummary().label ?? hostId),
    'advisor.remedy': ({ findingId }) => runRemedy({ hosts, tasks, advisor, vmSettings }, findingId),
  };
}
