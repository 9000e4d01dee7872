/**
 * Which files main reads for the import preview on the renderer's behalf.
 *
 * The renderer may name a path, but main reads only:
 *   - the SSH config VirtDeck was given (~/.ssh/config, or `--ssh-config` in web mode), with
 *     the files it includes (as ssh itself follows them), and
 *   - in the desktop app, a file the user picked in a file dialog that main itself showed.
 * A path merely typed in the page is refused: main cannot tell a person's confirmation from a
 * compromised page's, so "typed and confirmed" would protect nothing, while a native dialog is
 * answered by the person alone. Without this a page (an XSS, a stolen web-mode token) could make
 * main read any file the user may read and learn from the preview what it contains.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ContractError } from '../../../preload/contract.js';
import { expandTilde } from './sshConfig.js';

/** Shows a native file dialog; the chosen path, or undefined when the user cancelled. */
export type ChooseFile = () => Promise<string | undefined>;

export class ImportFiles {
  private readonly chosen = new Set<string>();
  private readonly defaultPath: string;

  constructor(
    sshConfigPath: string | undefined,
    private readonly chooseFile: ChooseFile | undefined,
    private readonly homeDir: string = homedir(),
  ) {
    this.defaultPath = this.absolute(sshConfigPath ?? join(homeDir, '.ssh', 'config'));
  }

  private absolute(path: string): string {
    return resolve(this.homeDir, expandTilde(path, this.homeDir));
  }

  /** What the import dialog shows: the file read by default, and whether a dialog can pick another. */
  source(): { path: string; canChoose: boolean } {
    return { path: this.defaultPath, canChoose: this.chooseFile !== undefined };
  }

  /** Shows main's file dialog; the picked file becomes readable for the rest of the run. */
  async choose(): Promise<{ path: string } | null> {
    if (!this.chooseFile) {
      throw new ContractError(
        'import-file-not-chosen',
        'Web mode cannot show a file dialog. Start it with --ssh-config FILE to import from another file.',
      );
    }
    const picked = await this.chooseFile();
    if (picked === undefined) return null;
    const path = this.absolute(picked);
    this.chosen.add(path);
    return { path };
  }

  /** The file to read for a request, or a typed refusal that says what to do instead. */
  allowed(requested: string | undefined): string {
    if (requested === undefined) return this.defaultPath;
    const path = this.absolute(requested);
    if (path === this.defaultPath || this.chosen.has(path)) return path;
    throw new ContractError(
      'import-file-not-chosen',
      `VirtDeck reads only your SSH config (${this.defaultPath}) or a file you pick with Choose file… in the desktop app; ${path} was not chosen that way.`,
    );
  }
}
