/** The key a host presented: type and fingerprint, monospace, selectable for comparing. */
export function PresentedKey({ keyType, fingerprint, typeLabel, fingerprintLabel }: {
  keyType: string;
  fingerprint: string;
  typeLabel: string;
  fingerprintLabel: string;
}) {
  return (
    <dl className="key-facts">
      <dt>{typeLabel}</dt>
      <dd className="mono" data-testid="host-key-type">
        {keyType}
      </dd>
      <dt>{fingerprintLabel}</dt>
      <dd className="mono selectable key-fingerprint" data-testid="host-key-fingerprint">
        {fingerprint}
      </dd>
    </dl>
  );
}
