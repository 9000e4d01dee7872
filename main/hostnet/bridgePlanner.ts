/**
 * From a plan to the exact change on the host's own stack, and its preview (a unified diff per
 * file and the commands in order). Pure.
 */
import { createTwoFilesPatch } from 'diff';
import type { BridgePreview, ConfigFileChange, NetworkStack } from '../../preload/contract.js';
import { ifcfgChange } from './writers/ifcfgWriter.js';
import { ifupdownChange } from './writers/ifupdownWriter.js';
import { networkdChange } from './writers/networkdWriter.js';
import { networkManagerChange } from './writers/networkManagerWriter.js';
import { netplanChange } from './writers/netplanWriter.js';
import { ovsChange } from './writers/ovsWriter.js';
import type { FileEdit, StackChange, WriterInput } from './writers/stackChange.js';

export interface StackTarget {
  stack: NetworkStack;
  /** netplan: the YAML file that configures the uplink. */
  netplanFile?: string;
}

/** The stacks VirtDeck can write; 'ovs' (an uplink already on Open vSwitch) is not one of them. */
export function stackChange(target: StackTarget, input: WriterInput): StackChange {
  if (input.plan.useOvs && target.stack !== 'netplan') {
    if (target.stack !== 'ifupdown' && target.stack !== 'ifupdown2') throw new Error(`Open vSwitch bridges are written for ifupdown and netplan hosts only, not ${target.stack}`);
    return ovsChange(input);
  }
  switch (target.stack) {
    case 'ifupdown':
    case 'ifupdown2':
      return ifupdownChange(input, target.stack);
    case 'netplan':
      return netplanChange(input, target.netplanFile ?? '');
    case 'networkd':
      return networkdChange(input);
    case 'ifcfg':
      return ifcfgChange(input);
    case 'networkmanager':
      return networkManagerChange(input);
    case 'ovs':
      throw new Error('the uplink is already a port of an Open vSwitch bridge');
  }
}

export function fileDiff(edit: FileEdit): ConfigFileChange {
  const kind = edit.before === null ? 'create' : edit.after === null ? 'remove' : 'change';
  const diff = createTwoFilesPatch(edit.before === null ? '/dev/null' : `a${edit.path}`, edit.after === null ? '/dev/null' : `b${edit.path}`, edit.before ?? '', edit.after ?? '', undefined, undefined, { context: 3 });
  // Drop the "====" line jsdiff puts first; what stays is what `diff -u` prints.
  return { path: edit.path, kind, diff: diff.replace(/^={10,}\n/, '') };
}

export function previewOf(change: StackChange, stack: NetworkStack): Omit<BridgePreview, 'problems'> {
  return {
    stack,
    files: change.files.map(fileDiff),
    commands: change.apply.map((line) => (line === 'install_new' ? `# install ${change.files.map((f) => f.path).join(', ')}` : line)),
  };
}
