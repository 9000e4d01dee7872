// The lab's programmatic API, for the test runner, integration tests and benchmarks.
export { dropSshSessions, labExec, startLibvirtd, startSshd, stopLibvirtd, stopSshd, type LabExecOptions } from './control.js';
export type { CommandResult } from './command.js';
export {
  labKeyPath,
  labKnownHostsPath,
  labSshConfigPath,
  labStateDir,
  readLabHost,
  readLabHosts,
  readLabKnownHosts,
  type LabAuth,
  type LabHost,
  type LabHostRole,
} from './hosts.js';
export { labDown, labStatus, labUp, type LabDownResult, type LabLog, type LabStatus, type LabUpOptions, type LabUpResult } from './lab.js';
export { labDomainXml, labPopulate, labVmName, type LabPopulateOptions, type LabPopulateResult } from './populate.js';
export { LabPermissionError } from './privileges.js';
export { LAB_SUDO_USER } from './plan.js';
export { MINI_PROMPT, MINI_READY, miniDomainXml, miniGuestFiles, type MiniDomainOptions, type MiniGuestFiles } from './miniGuest.js';
export { FIRST_SCREEN, installMedia, putTftpRoot, qcow2FromIso, startInstallSources, type InstallFlavour, type InstallMedia, type InstallSources } from './installTree.js';
