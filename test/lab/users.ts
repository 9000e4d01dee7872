// The lab's Unix user (the same account on every host: they share /etc/passwd) and its credentials:
// an ed25519 key pair for key-auth hosts and a random password for the password variants.
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { run, runChecked } from './command.js';
import { labKeyPath } from './paths.js';
import { LAB_SUDO_USER, LAB_USER } from './plan.js';
import { ensureStateDir } from './stateDir.js';

/** libvirt: read-write libvirt socket; kvm: /dev/kvm. */
const LAB_USER_GROUPS = ['libvirt', 'kvm'];

export interface LabCredentials {
  readonly keyFile: string;
  readonly password: string;
}

async function ensureKeyPair(): Promise<string> {
  const key = labKeyPath();
  try {
    await readFile(`${key}.pub`, 'utf8');
  } catch {
    await runChecked('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'virtdeck-lab', '-f', key]);
  }
  await chmod(key, 0o600);
  return (await readFile(`${key}.pub`, 'utf8')).trim();
}

async function ensureGroup(group: string): Promise<void> {
  if ((await run('getent', ['group', group])).code !== 0) await runChecked('groupadd', ['--system', group]);
}

interface PasswdEntry {
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

async function lookupUser(user: string): Promise<PasswdEntry | undefined> {
  const { code, stdout } = await run('getent', ['passwd', user]);
  if (code !== 0) return undefined;
  const fields = stdout.trim().split(':');
  return { uid: Number(fields[2]), gid: Number(fields[3]), home: fields[5] ?? '' };
}

async function ensureUser(): Promise<PasswdEntry> {
  for (const group of LAB_USER_GROUPS) await ensureGroup(group);
  const groups = LAB_USER_GROUPS.join(',');
  if (await lookupUser(LAB_USER)) {
    await runChecked('usermod', ['--append', '--groups', groups, LAB_USER]);
  } else {
    await runChecked('useradd', ['--create-home', '--user-group', '--shell', '/bin/bash', '--groups', groups, LAB_USER]);
  }
  const entry = await lookupUser(LAB_USER);
  if (!entry) throw new Error(`user ${LAB_USER} missing right after useradd`);
  return entry;
}

/** sshd's StrictModes wants ~/.ssh 0700 and authorized_keys 0600, owned by the user. */
async function installAuthorizedKey(user: PasswdEntry, publicKey: string): Promise<void> {
  const sshDir = path.join(user.home, '.ssh');
  const file = path.join(sshDir, 'authorized_keys');
  await mkdir(user.home, { recursive: true });
  await chown(user.home, user.uid, user.gid);
  await mkdir(sshDir, { recursive: true, mode: 0o700 });
  await chown(sshDir, user.uid, user.gid);
  await chmod(sshDir, 0o700);
  await writeFile(file, `${publicKey}\n`, { mode: 0o600 });
  await chown(file, user.uid, user.gid);
  await chmod(file, 0o600);
}

/** A fresh random password per lab:up (recorded only in the 0600 hosts.json). */
async function setRandomPassword(): Promise<string> {
  const password = randomBytes(18).toString('base64url');
  await runChecked('chpasswd', [], { input: `${LAB_USER}:${password}\n` });
  return password;
}

/** The lab's only change to /etc/sudoers.d; lab:down removes it again. */
export const LAB_SUDOERS_FILE = '/etc/sudoers.d/virtdeck-lab';

/** LAB_SUDO_USER: no libvirt group, but `sudo -n virsh` (and `sudo -n sh` for root-owned files) without a password. */
async function ensureSudoUser(publicKey: string): Promise<void> {
  if (!(await lookupUser(LAB_SUDO_USER))) {
    await runChecked('useradd', ['--create-home', '--user-group', '--shell', '/bin/bash', LAB_SUDO_USER]);
  }
  const entry = await lookupUser(LAB_SUDO_USER);
  if (!entry) throw new Error(`user ${LAB_SUDO_USER} missing right after useradd`);
  await installAuthorizedKey(entry, publicKey);
  // virsh for libvirt; sh for VirtDeck's file primitive where a destination needs root (the
  // rule the README documents for such users).
  const rule = `# Written by the VirtDeck test lab; removed by lab:down.\n${LAB_SUDO_USER} ALL=(root) NOPASSWD: /usr/bin/virsh, /usr/bin/sh, /bin/sh\n`;
  const staged = `${LAB_SUDOERS_FILE}.new`;
  await writeFile(staged, rule, { mode: 0o440 });
  // A broken sudoers file would lock sudo for everyone: check before it goes live.
  await runChecked('visudo', ['-cqf', staged]);
  await runChecked('mv', ['-f', staged, LAB_SUDOERS_FILE]);
}

export async function removeSudoRule(): Promise<void> {
  await rm(LAB_SUDOERS_FILE, { force: true });
}

export async function ensureLabUser(): Promise<LabCredentials> {
  await ensureStateDir();
  const publicKey = await ensureKeyPair();
  const user = await ensureUser();
  await installAuthorizedKey(user, publicKey);
  await ensureSudoUser(publicKey);
  const password = await setRandomPassword();
  return { keyFile: labKeyPath(), password };
}
