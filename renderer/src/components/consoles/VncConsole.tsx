/**
 * The graphical console: noVNC on the `vm.vnc` stream. The password comes from the domain's
 * definition (`vm.console.info`), so the viewer never asks for it. Scale to fit or 1:1, ask the
 * guest to resize, view only, keys the browser keeps for itself, a PNG screenshot, full screen;
 * it reconnects by itself across guest reboots and host reconnects.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type RFB from '@novnc/novnc';
import { ContractError } from '../../../../preload/contract.js';
import { useT } from '../../i18n/useT.js';
import { requireClient } from '../../store/connectionStore.js';
import { Icon } from '../common/Icon.js';
import { Menu, belowElement, type MenuPosition } from '../common/Menu.js';
import { KEY_COMBOS, keyEvents } from './consoleKeys.js';
import { ConsoleStatusLine } from './ConsoleStatusLine.js';
import { useConsoleSession, type ConsoleConnect } from './consoleSession.js';
import { StreamChannel } from './streamChannel.js';

interface VncConsoleProps {
  hostId: string;
  name: string;
  running: boolean;
  hostConnected: boolean;
}

type Scale = 'fit' | 'native';

export function VncConsole({ hostId, name, running, hostConnected }: VncConsoleProps) {
  const t = useT();
  const screen = useRef<HTMLDivElement>(null);
  const frame = useRef<HTMLDivElement>(null);
  const rfb = useRef<RFB | undefined>(undefined);
  const [scale, setScale] = useState<Scale>('fit');
  const [resizeGuest, setResizeGuest] = useState(false);
  const [viewOnly, setViewOnly] = useState(false);
  const [keysMenu, setKeysMenu] = useState<MenuPosition | undefined>();
  const settings = useRef({ scale, resizeGuest, viewOnly });
  settings.current = { scale, resizeGuest, viewOnly };

  const connect = useCallback<ConsoleConnect>(
    async ({ ended }) => {
      const client = requireClient();
      const info = await client.call('vm.console.info', { hostId, name });
      if (!info.vnc) throw new ContractError('bad-arguments', 'The virtual machine has no VNC display.');
      if (!info.running) throw new ContractError('libvirt-error', 'The virtual machine is not running.');
      const { default: RfbClass } = await import('@novnc/novnc');
      // The channel must listen from the moment the stream opens: the server speaks first.
      const stream = await client.openStream('vm.vnc', { hostId, name });
      const target = screen.current;
      if (!target) {
        stream.close();
        throw new ContractError('cancelled', 'The console was closed.');
      }
      const channel = new StreamChannel(stream);
      const viewer = new RfbClass(target, channel, { shared: true, ...(info.vnc.password ? { credentials: { password: info.vnc.password } } : {}) });
      viewer.background = 'var(--console-background)';
      viewer.scaleViewport = settings.current.scale === 'fit';
      viewer.resizeSession = settings.current.resizeGuest;
      viewer.viewOnly = settings.current.viewOnly;
      let closing = false;
      let failure: { code: 'libvirt-error'; message: string } | undefined;
      viewer.addEventListener('securityfailure', () => (failure = { code: 'libvirt-error', message: 'The VNC display refused the password from the definition.' }));
      viewer.addEventListener('credentialsrequired', () => {
        failure = { code: 'libvirt-error', message: 'The VNC display asks for a password the definition does not hold.' };
        viewer.disconnect();
      });
      viewer.addEventListener('disconnect', () => {
        if (rfb.current === viewer) rfb.current = undefined;
        if (closing) return;
        ended(failure ?? channel.closeError ?? { code: 'host-unavailable', message: 'The VNC display closed the connection.' });
      });
      rfb.current = viewer;
      return {
        close: () => {
          closing = true;
          if (rfb.current === viewer) rfb.current = undefined;
          viewer.disconnect();
        },
      };
    },
    [hostId, name],
  );
  const session = useConsoleSession(connect, running, hostConnected);

  useEffect(() => {
    const viewer = rfb.current;
    if (!viewer) return;
    viewer.scaleViewport = scale === 'fit';
    viewer.resizeSession = resizeGuest;
    viewer.viewOnly = viewOnly;
  }, [scale, resizeGuest, viewOnly, session.status]);

  const screenshot = (): void => {
    rfb.current?.toBlob((blob) => {
      if (!blob) return;
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.png`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    }, 'image/png');
  };

  const connected = session.status === 'connected';
  return (
    <div className="console console-vnc" data-testid="vnc-console" data-status={session.status} ref={frame}>
      <div className="console-toolbar" role="toolbar" aria-label={t('console.toolbar')}>
        <button
          type="button"
          className="button button-small"
          disabled={!connected || viewOnly}
          aria-haspopup="menu"
          data-testid="vnc-send-keys"
          onClick={(event) => setKeysMenu(belowElement(event.currentTarget))}
        >
          <Icon name="keyboard" size={14} /> {t('console.sendKeys')}
        </button>
        <button type="button" className="button button-small" aria-pressed={scale === 'fit'} data-testid="vnc-scale" onClick={() => setScale(scale === 'fit' ? 'native' : 'fit')}>
          {scale === 'fit' ? t('console.scaleFit') : t('console.scaleNative')}
        </button>
        <label className="console-check">
          <input type="checkbox" checked={resizeGuest} onChange={(event) => setResizeGuest(event.target.checked)} data-testid="vnc-resize-guest" /> {t('console.resizeGuest')}
        </label>
        <label className="console-check">
          <input type="checkbox" checked={viewOnly} onChange={(event) => setViewOnly(event.target.checked)} data-testid="vnc-view-only" /> {t('console.viewOnly')}
        </label>
        <span className="console-toolbar-spacer" />
        <button type="button" className="button button-small" disabled={!connected} onClick={screenshot} data-testid="vnc-screenshot">
          <Icon name="download" size={14} /> {t('console.screenshot')}
        </button>
        <button type="button" className="button button-small" onClick={() => void frame.current?.requestFullscreen().catch(() => undefined)} data-testid="vnc-fullscreen">
          {t('console.fullScreen')}
        </button>
        <ConsoleStatusLine session={session} />
      </div>
      <div className={`console-screen${scale === 'native' ? ' console-screen-native' : ''}`} ref={screen} data-testid="vnc-screen" />
      {keysMenu && (
        <Menu
          label={t('console.sendKeys')}
          position={keysMenu}
          onClose={() => setKeysMenu(undefined)}
          testId="vnc-keys-menu"
          entries={KEY_COMBOS.map((combo) => ({
            id: combo.id,
            label: combo.label,
            testId: `vnc-key-${combo.id}`,
            onSelect: () => {
              const viewer = rfb.current;
              if (!viewer) return;
              for (const key of keyEvents(combo)) viewer.sendKey(key.keysym, key.code, key.down);
              viewer.focus();
            },
          }))}
        />
      )}
    </div>
  );
}
