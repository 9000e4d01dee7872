/**
 * Pure translation functions over the catalogs. React code uses `useT()`; this module has no
 * React and no DOM so unit tests and non-component code can use it directly.
 */
import type { Language } from '../../../preload/contract.js';
import { en, type Catalog, type MessageKey } from './en.js';
import { zhCN } from './zh-CN.js';

export type { MessageKey } from './en.js';
export type MessageParams = Readonly<Record<string, string | number>>;

export const catalogs: Readonly<Record<Language, Catalog>> = { en, 'zh-CN': zhCN };

/** Base names of keys that exist in both plural forms (`<base>_one`, `<base>_other`). */
export type PluralBase = {
  [K in MessageKey]: K extends `${infer B}_one` ? (`${B}_other` extends MessageKey ? B : never) : never;
}[MessageKey];

const PARAM = /\{(\w+)\}/g;

/** Replaces `{name}` with `params.name`; unknown names stay visible so a mistake shows. */
export function interpolate(template: string, params?: MessageParams): string {
  if (!params) return template;
  return template.replace(PARAM, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** The parameter names a template uses, sorted and without duplicates. */
export function paramNames(template: string): string[] {
  return [...new Set([...template.matchAll(PARAM)].map((match) => match[1] ?? ''))].sort();
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

export function translate(language: Language, key: MessageKey, params?: MessageParams): string {
  return interpolate(catalogs[language][key], params);
}

export function translateCount(
  language: Language,
  base: PluralBase,
  count: number,
  params?: MessageParams,
): string {
  const key: MessageKey = count === 1 ? `${base}_one` : `${base}_other`;
  return translate(language, key, { count, ...params });
}

/** A translator bound to one language; what `useT()` returns. */
export interface Translator {
  (key: MessageKey, params?: MessageParams): string;
  readonly language: Language;
  /** Plural-aware: picks `<base>_one` or `<base>_other` and passes `{count}`. */
  count(base: PluralBase, count: number, params?: MessageParams): string;
  /**
   * For keys that arrive at run time (task titles from main): translated when the catalog
   * has the key, otherwise the key itself with its parameters, so nothing is hidden.
   */
  dynamic(key: string, params?: MessageParams): string;
}

const translators = new Map<Language, Translator>();

/** One translator per language, created once so it is referentially stable for React. */
export function translatorFor(language: Language): Translator {
  const existing = translators.get(language);
  if (existing) return existing;
  const t = ((key: MessageKey, params?: MessageParams) => translate(language, key, params)) as Translator;
  Object.defineProperties(t, {
    language: { value: language },
    count: {
      value: (base: PluralBase, count: number, params?: MessageParams) =>
        translateCount(language, base, count, params),
    },
    dynamic: {
      value: (key: string, params?: MessageParams) => {
        if (isMessageKey(key)) return translate(language, key, params);
        const values = params ? Object.values(params).map(String) : [];
        return values.length > 0 ? `${key} (${values.join(', ')})` : key;
      },
    },
  });
  translators.set(language, t);
  return t;
}
