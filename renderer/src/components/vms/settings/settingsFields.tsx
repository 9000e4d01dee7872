/**
 * Pieces every part of the settings form uses: a problem's text in the user's language, the
 * mark saying whether a field reaches the running guest now or after its restart, a label with
 * that mark, and a select over a fixed list of options.
 */
import type { ReactNode } from 'react';
import type { VmSettings, VmSettingsField } from '../../../../../preload/contract.js';
import type { Translator } from '../../../i18n/translate.js';
import { useT } from '../../../i18n/useT.js';
import { fieldCanApplyLive, type DraftProblem, type SettingsDraft } from './settingsDraft.js';

/** What each part of the form (pinning, disks, NICs) is given. */
export interface SettingsPartProps {
  settings: VmSettings;
  draft: SettingsDraft;
  disabled: boolean;
  problems: readonly DraftProblem[];
  edit: (patch: Partial<SettingsDraft>) => void;
}

export function problemText(problem: DraftProblem, t: Translator): string {
  return t(`vmSettings.problem.${problem.code}`, problem.params);
}

/** "applies now" / "applies after restart" for a running guest; `live` overrides the field's rule (per device). */
export function AppliesMark({ field, settings, live, testId }: { field: VmSettingsField; settings: VmSettings; live?: boolean; testId?: string }) {
  const t = useT();
  // A running VM cannot be renamed at all; the field's hint says so.
  if (!settings.running || field === 'name') return null;
  const now = live ?? fieldCanApplyLive(field, settings);
  return (
    <span className={`applies-mark ${now ? 'applies-mark-now' : 'applies-mark-restart'}`} data-testid={testId ?? `applies-${field}`} data-live={now ? 'true' : 'false'}>
      {t(now ? 'vmSettings.appliesNow' : 'vmSettings.appliesAfterRestart')}
    </span>
  );
}

export function SettingsLabel({ text, field, settings, live, testId }: { text: string; field: VmSettingsField; settings: VmSettings; live?: boolean; testId?: string }): ReactNode {
  return (
    <span className="settings-label-row">
      {text}
      <AppliesMark field={field} settings={settings} {...(live !== undefined ? { live } : {})} {...(testId !== undefined ? { testId } : {})} />
    </span>
  );
}

/** A select over `options` (value and label each). */
export function OptionsSelect({ testId, value, options, disabled, onChange }: { testId: string; value: string; options: readonly { value: string; label: string; disabled?: boolean }[]; disabled: boolean; onChange: (value: string) => void }) {
  return (
    <select className="select-input" data-testid={testId} value={value} disabled={disabled} onChange={(event) => onChange(event.target.value)}>
      {options.map((option) => (
        <option key={option.value} value={option.value} disabled={option.disabled}>
          {option.label}
        </option>
      ))}
    </select>
  );
}
