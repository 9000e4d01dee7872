import { describe, expect, it } from 'vitest';
import type { HostProfile } from '../../preload/contract.js';
import {
  addTag,
  CUSTOM_URI,
  draftFromProfile,
  draftToCandidate,
  emptyDraft,
  emptyJumpHost,
  parsePort,
  patchDraft,
  type HostDraft,
} from '../../renderer/src/profiles/hostDraft.js';
import { errorFor, fieldOfServerDetail, issueToError, validateDraft } from '../../renderer/src/profiles/draftValidation.js';

const valid = (): HostDraft => patchDraft(patchDraft(emptyDraft(), { address: 'kvm01.example.com' }), { user: 'root' });

function problems(draft: HostDraft): Record<string, string> {
  const result = validateDraft(draft);
  return result.ok ? {} : Object.fromEntries(result.errors.map((error) => [error.field, error.problem]));
}

describe('host draft', () => {
  it('starts with port 22, ssh-agent and qemu:///system', () => {
    const draft = emptyDraft();
    expect(draft.port).toBe('22');
    expect(draft.auth).toBe('agent');
    expect(draft.uriChoice).toBe('qemu:///system');
  });

  it('lets the name follow the address until the user types one', () => {
    let draft = patchDraft(emptyDraft(), { address: 'kvm01' });
    expect(draft.label).toBe('kvm01');
    draft = patchDraft(draft, { label: 'Rack 1 / KVM' });
    draft = patchDraft(draft, { address: 'kvm02' });
    expect(draft.label).toBe('Rack 1 / KVM');
    // Clearing the name hands it back to the address.
    draft = patchDraft(patchDraft(draft, { label: '' }), { address: 'kvm03' });
    expect(draft.label).toBe('kvm03');
  });

  it('reads ports strictly', () => {
    expect(parsePort('2222')).toBe(2222);
    expect(parsePort(' 22 ')).toBe(22);
    expect(parsePort('')).toBeNaN();
    expect(parsePort('22a')).toBeNaN();
    expect(parsePort('1e3')).toBeNaN();
    expect(parsePort('-1')).toBeNaN();
  });

  it('adds tags once, trimmed, case-insensitively', () => {
    expect(addTag(['prod'], '  gpu ')).toEqual(['prod', 'gpu']);
    expect(addTag(['prod'], 'PROD')).toEqual(['prod']);
    expect(addTag(['prod'], '   ')).toEqual(['prod']);
    expect(addTag([], 'eu   west')).toEqual(['eu west']);
  });

  it('sends a key file only with key authentication, and the custom URI when chosen', () => {
    const draft: HostDraft = { ...valid(), keyFile: '~/.ssh/id', uriChoice: CUSTOM_URI, uriCustom: ' test:///default ', folder: ' Lab / Rack 2/ ' };
    const candidate = draftToCandidate(draft);
    expect(candidate).not.toHaveProperty('keyFile');
    expect(candidate.uri).toBe('test:///default');
    expect(candidate.folder).toBe('Lab/Rack 2');
    expect(draftToCandidate({ ...draft, auth: 'key' }).keyFile).toBe('~/.ssh/id');
  });

  it('round-trips a profile, keeping a custom URI as custom', () => {
    const profile: HostProfile = {
      id: 'p1',
      createdAt: 1,
      updatedAt: 1,
      label: 'lab1',
      address: '198.18.0.10',
      port: 22,
      user: 'vdlab',
      auth: 'key',
      keyFile: '/keys/lab',
      jumpHosts: [{ address: 'jump', port: 2222, user: 'j', auth: 'agent' }],
      uri: 'test:///default',
      sudo: true,
      folder: 'Lab',
      tags: ['lab'],
      rememberSecret: false,
    };
    const draft = draftFromProfile(profile);
    expect(draft.uriChoice).toBe(CUSTOM_URI);
    expect(draft.jumpHosts[0]?.port).toBe('2222');
    const result = validateDraft(draft);
    expect(result.ok).toBe(true);
    if (result.ok) {
      const { id: _id, createdAt: _c, updatedAt: _u, ...fields } = profile;
      expect(result.fields).toEqual(fields);
    }
  });
});

describe('draft validation (the contract schema, in the catalog’s words)', () => {
  it('accepts a minimal host', () => {
    const result = validateDraft(valid());
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.fields).toMatchObject({ label: 'kvm01.example.com', port: 22, tags: [], jumpHosts: [] });
  });

  it('says "required" for empty fields, and not twice for a name that follows the address', () => {
    expect(problems(emptyDraft())).toEqual({ address: 'required', user: 'required' });
    expect(problems({ ...valid(), label: '  ', labelEdited: true })).toEqual({ label: 'required' });
  });

  it('tells a missing port from a malformed one and from one out of range', () => {
    expect(problems({ ...valid(), port: '' })).toEqual({ port: 'required' });
    expect(problems({ ...valid(), port: 'ssh' })).toEqual({ port: 'portNumber' });
    expect(problems({ ...valid(), port: '0' })).toEqual({ port: 'portRange' });
    expect(problems({ ...valid(), port: '65536' })).toEqual({ port: 'portRange' });
    expect(problems({ ...valid(), port: '65535' })).toEqual({});
  });

  it('rejects a URI without a scheme', () => {
    expect(problems({ ...valid(), uriChoice: CUSTOM_URI, uriCustom: 'not a uri' })).toEqual({ uri: 'uriInvalid' });
    expect(problems({ ...valid(), uriChoice: CUSTOM_URI, uriCustom: '' })).toEqual({ uri: 'required' });
    expect(problems({ ...valid(), uriChoice: CUSTOM_URI, uriCustom: 'qemu+ssh://h/system' })).toEqual({});
  });

  it('needs a key file for key authentication, on the host and on every hop', () => {
    const hop = { ...emptyJumpHost(), user: 'j', address: 'bastion', auth: 'key' as const };
    expect(problems({ ...valid(), auth: 'key', jumpHosts: [hop] })).toEqual({ keyfile: 'keyFileRequired', 'jump-0-keyfile': 'keyFileRequired' });
  });

  it('points at the hop and the field of a bad jump host', () => {
    const good = { ...emptyJumpHost(), user: 'j', address: 'bastion' };
    const bad = { ...emptyJumpHost(), user: '', address: 'two words', port: '99999' };
    expect(problems({ ...valid(), jumpHosts: [good, bad] })).toEqual({
      'jump-1-user': 'required',
      'jump-1-port': 'portRange',
      'jump-1-address': 'noSpaces',
    });
  });

  it('limits lengths and counts with the schema’s own limits', () => {
    const long = validateDraft({ ...valid(), user: 'u'.repeat(65) });
    expect(long.ok ? null : errorFor(long.errors, 'user')).toEqual({ field: 'user', problem: 'tooLong', limit: 64 });
    const tags = validateDraft({ ...valid(), tags: Array.from({ length: 21 }, (_, index) => `t${index}`) });
    expect(tags.ok ? null : errorFor(tags.errors, 'tags')).toEqual({ field: 'tags', problem: 'tooManyTags', limit: 20 });
    const tag = validateDraft({ ...valid(), tags: ['x'.repeat(51)] });
    expect(tag.ok ? null : errorFor(tag.errors, 'tags')).toEqual({ field: 'tags', problem: 'tagTooLong', limit: 50 });
    const hops = validateDraft({ ...valid(), jumpHosts: Array.from({ length: 9 }, () => ({ ...emptyJumpHost(), user: 'j', address: 'b' })) });
    expect(hops.ok ? null : errorFor(hops.errors, 'jumps')).toEqual({ field: 'jumps', problem: 'tooManyJumps', limit: 8 });
  });

  it('rejects spaces in addresses and user names', () => {
    expect(problems({ ...valid(), address: 'kvm 01', labelEdited: true, label: 'x' })).toEqual({ address: 'noSpaces' });
    expect(problems({ ...valid(), user: 'a b' })).toEqual({ user: 'noSpaces' });
  });

  it('maps unknown paths to nothing and unknown codes to "invalid"', () => {
    expect(issueToError({ code: 'custom', path: ['nope'] }, valid())).toBeNull();
    expect(issueToError({ code: 'custom', path: ['address'] }, valid())).toEqual({ field: 'address', problem: 'invalid' });
  });

  it('reads the field a server-side invalid-profile error names', () => {
    expect(fieldOfServerDetail('keyFile')).toBe('keyfile');
    expect(fieldOfServerDetail('uri')).toBe('uri');
    expect(fieldOfServerDetail('[{"code":"too_small"}]')).toBeNull();
    expect(fieldOfServerDetail(undefined)).toBeNull();
  });
});
