/**
 * Jump hosts (ProxyJump): the hops VirtDeck goes through, in order, each user@address:port
 * with ssh-agent or a key file. Hops can be added, removed and moved up or down.
 */
import type { JumpHostDraft } from '../../../profiles/hostDraft.js';
import { emptyJumpHost } from '../../../profiles/hostDraft.js';
import type { DraftFieldId } from '../../../profiles/draftValidation.js';
import { useT } from '../../../i18n/useT.js';
import { Icon } from '../../common/Icon.js';
import { fieldDomId, type SectionProps } from './sectionProps.js';

const MAX_HOPS = 8;

function move<T>(items: readonly T[], from: number, to: number): T[] {
  const next = [...items];
  const [item] = next.splice(from, 1);
  if (item !== undefined) next.splice(to, 0, item);
  return next;
}

function hopTarget(hop: JumpHostDraft): string {
  const address = hop.address.trim() || '?';
  const user = hop.user.trim();
  const port = hop.port.trim();
  return `${user ? `${user}@` : ''}${address}${port && port !== '22' ? `:${port}` : ''}`;
}

export function JumpHostsSection({ draft, update, error, touch }: SectionProps) {
  const t = useT();
  const hops = draft.jumpHosts;
  const setHop = (index: number, patch: Partial<JumpHostDraft>): void =>
    update({ jumpHosts: hops.map((hop, position) => (position === index ? { ...hop, ...patch } : hop)) });
  const field = (index: number, name: 'address' | 'port' | 'user' | 'keyfile'): DraftFieldId => `jump-${index}-${name}`;
  const target = draft.address.trim() || t('hostForm.thisHost');
  return (
    <section className="form-section" aria-labelledby="host-section-jumps">
      <div className="form-section-head">
        <h3 className="form-section-title" id="host-section-jumps">
          {t('hostForm.section.jumps')}
        </h3>
        <button
          type="button"
          className="button button-small"
          data-testid="jump-add"
          disabled={hops.length >= MAX_HOPS}
          onClick={() => update({ jumpHosts: [...hops, emptyJumpHost()] })}
        >
          <Icon name="plus" size={13} />
          {t('hostForm.jumpAdd')}
        </button>
      </div>
      {hops.length === 0 ? (
        <p className="field-hint">{t('hostForm.jumpNone')}</p>
      ) : (
        <>
          <ol className="jump-list">
            {hops.map((hop, index) => {
              const errors = (['user', 'address', 'port', 'keyfile'] as const)
                .map((name) => ({ name, message: error(field(index, name)) }))
                .filter((entry) => entry.message !== undefined);
              const label = (name: string): string => t('hostForm.jumpFieldLabel', { hop: index + 1, field: name });
              return (
                <li key={hop.id} className="jump-row" data-testid="jump-row" data-index={index}>
                  <span className="jump-index" aria-hidden="true">
                    {index + 1}
                  </span>
                  <div className="jump-fields">
                    <div className="jump-line">
                      <input
                        id={fieldDomId(field(index, 'user'))}
                        className="input jump-user"
                        data-testid="jump-field-user"
                        placeholder={t('hostForm.user')}
                        aria-label={label(t('hostForm.user'))}
                        aria-invalid={error(field(index, 'user')) ? true : undefined}
                        value={hop.user}
                        spellCheck={false}
                        autoComplete="off"
                        onChange={(event) => setHop(index, { user: event.target.value })}
                        onBlur={() => touch(field(index, 'user'))}
                      />
                      <span className="jump-sep">@</span>
                      <input
                        id={fieldDomId(field(index, 'address'))}
                        className="input jump-address"
                        data-testid="jump-field-address"
                        placeholder={t('hostForm.address')}
                        aria-label={label(t('hostForm.address'))}
                        aria-invalid={error(field(index, 'address')) ? true : undefined}
                        value={hop.address}
                        spellCheck={false}
                        autoComplete="off"
                        onChange={(event) => setHop(index, { address: event.target.value })}
                        onBlur={() => touch(field(index, 'address'))}
                      />
                      <span className="jump-sep">:</span>
                      <input
                        id={fieldDomId(field(index, 'port'))}
                        className="input jump-port"
                        data-testid="jump-field-port"
                        inputMode="numeric"
                        aria-label={label(t('hostForm.port'))}
                        aria-invalid={error(field(index, 'port')) ? true : undefined}
                        value={hop.port}
                        onChange={(event) => setHop(index, { port: event.target.value })}
                        onBlur={() => touch(field(index, 'port'))}
                      />
                    </div>
                    <div className="jump-line">
                      <select
                        className="select-input jump-auth"
                        data-testid="jump-field-auth"
                        aria-label={label(t('hostForm.auth'))}
                        value={hop.auth}
                        onChange={(event) => setHop(index, { auth: event.target.value as 'agent' | 'key' })}
                      >
                        <option value="agent">{t('authMethod.agent')}</option>
                        <option value="key">{t('authMethod.key')}</option>
                      </select>
                      {hop.auth === 'key' && (
                        <input
                          id={fieldDomId(field(index, 'keyfile'))}
                          className="input mono jump-keyfile"
                          data-testid="jump-field-keyfile"
                          placeholder="~/.ssh/id_ed25519"
                          aria-label={label(t('hostForm.keyFile'))}
                          aria-invalid={error(field(index, 'keyfile')) ? true : undefined}
                          value={hop.keyFile}
                          spellCheck={false}
                          autoComplete="off"
                          onChange={(event) => setHop(index, { keyFile: event.target.value })}
                          onBlur={() => touch(field(index, 'keyfile'))}
                        />
                      )}
                    </div>
                    {errors.map((entry) => (
                      <p key={entry.name} className="field-error" data-testid="host-field-error" data-field={field(index, entry.name)} role="alert">
                        {entry.message}
                      </p>
                    ))}
                  </div>
                  <div className="jump-buttons">
                    <button
                      type="button"
                      className="icon-button"
                      data-testid="jump-up"
                      disabled={index === 0}
                      aria-label={t('hostForm.jumpUp', { hop: index + 1 })}
                      title={t('hostForm.jumpUp', { hop: index + 1 })}
                      onClick={() => update({ jumpHosts: move(hops, index, index - 1) })}
                    >
                      <Icon name="arrowUp" size={14} />
                    </button>
                    <button
                      type="button"
                      className="icon-button"
                      data-testid="jump-down"
                      disabled={index === hops.length - 1}
                      aria-label={t('hostForm.jumpDown', { hop: index + 1 })}
                      title={t('hostForm.jumpDown', { hop: index + 1 })}
                      onClick={() => update({ jumpHosts: move(hops, index, index + 1) })}
                    >
                      <Icon name="arrowDown" size={14} />
                    </button>
                    <button
                      type="button"
                      className="icon-button icon-button-danger"
                      data-testid="jump-remove"
                      aria-label={t('hostForm.jumpRemove', { hop: index + 1 })}
                      title={t('hostForm.jumpRemove', { hop: index + 1 })}
                      onClick={() => update({ jumpHosts: hops.filter((_, position) => position !== index) })}
                    >
                      <Icon name="close" size={14} />
                    </button>
                  </div>
                </li>
              );
            })}
          </ol>
          <p className="jump-chain" data-testid="jump-chain">
            <span>{t('hostForm.jumpChainYou')}</span>
            {hops.map((hop) => (
              <span key={hop.id} className="mono">
                {hopTarget(hop)}
              </span>
            ))}
            <span className="mono jump-chain-target">{target}</span>
          </p>
        </>
      )}
      {error('jumps') && (
        <p className="field-error" data-testid="host-field-error" data-field="jumps" role="alert">
          {error('jumps')}
        </p>
      )}
    </section>
  );
}
