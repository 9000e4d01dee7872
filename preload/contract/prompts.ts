/** Questions main asks the user while connecting: host keys, secrets, 2FA prompts. */
import { z } from 'zod';

const PromptBase = z.object({ promptId: z.string(), hostId: z.string(), hostLabel: z.string() });

export const Prompt = z.discriminatedUnion('kind', [
  PromptBase.extend({
    kind: z.literal('host-key'),
    /** The host as it was dialled (a jump host's own key is asked about too). */
    host: z.string(),
    port: z.number(),
    keyType: z.string(),
    fingerprint: z.string(),
  }),
  PromptBase.extend({
    kind: z.literal('secret'),
    secret: z.enum(['password', 'passphrase']),
    /** user@host, or the key file for a passphrase. */
    target: z.string(),
    /** Whether "remember" is possible here (desktop with a real keychain). */
    canRemember: z.boolean(),
  }),
  PromptBase.extend({
    kind: z.literal('keyboard-interactive'),
    name: z.string(),
    instructions: z.string(),
    prompts: z.array(z.object({ prompt: z.string(), echo: z.boolean() })),
  }),
]);
export type Prompt = z.infer<typeof Prompt>;

export const PromptAnswer = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('host-key'), decision: z.enum(['once', 'always', 'reject']) }),
  z.object({ kind: z.literal('secret'), value: z.string().max(4096).nullable(), remember: z.boolean() }),
  z.object({ kind: z.literal('keyboard-interactive'), answers: z.array(z.string().max(4096)).max(20).nullable() }),
]);
export type PromptAnswer = z.infer<typeof PromptAnswer>;

export const promptCalls = {
  'prompts.list': { args: z.object({}).strict(), result: z.array(Prompt) },
  'prompts.answer': { args: z.object({ promptId: z.string().min(1), answer: PromptAnswer }).strict(), result: z.null() },
} as const;

export const promptEvents = {
  'prompt.opened': Prompt,
  'prompt.closed': z.object({ promptId: z.string() }),
} as const;
