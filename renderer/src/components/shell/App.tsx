/** Chooses between start-up, the start-up error and the working shell. */
import { useDocumentLanguage } from '../../i18n/useDocumentLanguage.js';
import { useConnectionStore } from '../../store/connectionStore.js';
import { useThemeEffect } from '../../theme/useThemeEffect.js';
import { AppShell } from './AppShell.js';
import { StartupError } from './StartupError.js';
import { StartupLoading } from './StartupLoading.js';
import './shell.css';

export function App() {
  useThemeEffect();
  useDocumentLanguage();
  const phase = useConnectionStore((state) => state.phase);
  const startupError = useConnectionStore((state) => state.startupError);
  if (phase === 'ready') return <AppShell />;
  if (startupError) return <StartupError error={startupError} retrying={phase === 'starting'} />;
  return <StartupLoading />;
}
