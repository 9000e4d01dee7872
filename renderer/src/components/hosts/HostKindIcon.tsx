import type { HostKind } from '../../../../preload/contract.js';
import { Icon, type IconName } from '../common/Icon.js';

const iconByKind: Record<HostKind, IconName> = { local: 'laptop', demo: 'flask', ssh: 'server' };

export function HostKindIcon({ kind, size }: { kind: HostKind; size?: number }) {
  return <Icon name={iconByKind[kind]} size={size} className="host-kind-icon" />;
}
