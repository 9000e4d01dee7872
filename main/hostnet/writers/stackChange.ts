/**
 * What a stack writer produces for a bridge: the configuration files it changes (whole texts,
 * before and after) and the shell steps that bring the change live and take it back. The steps
 * run on the host as root inside one detached job; `install_new` puts every changed file in
 * place and `restore_old` puts the saved originals back byte for byte (both defined by the job,
 * see bridgeJob.ts). Arguments in steps go through the one quoting function.
 */
import type { BridgePlan } from '../../../preload/contract.js';
import { quoteArg } from '../../remote/quote.js';

export interface FileEdit {
  path: string;
  /** null: the file does not exist before (it is created). */
  before: string | null;
  /** null: the file is removed. */
  after: string | null;
}

export interface StackChange {
  files: FileEdit[];
  /** Brings the bridge up from the old state. */
  apply: string[];
  /** Brings the old state back once restore_old has run or is about to (it is called in them). */
  restore: string[];
}

export interface WriterInput {
  plan: BridgePlan;
  /** Configuration files as they are on the host, by path. */
  files: ReadonlyMap<string, string>;
  /** NetworkManager: the uuid of the profile active on the uplink now. */
  activeProfile?: string;
}

export const q = quoteArg;

/** A line joined from words, each quoted only when it needs to be (keeps previews readable). */
export function sh(...words: string[]): string {
  return words.map((w) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : quoteArg(w))).join(' ');
}

/** The IPv4 default gateway of a plan, or ''. */
export function gateway4(plan: BridgePlan): string {
  return plan.ipv4.mode === 'static' ? plan.ipv4.gateway : '';
}
