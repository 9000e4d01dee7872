/**
 * Errors as the UI keeps them: a contract error code (or null when the failure came from
 * the transport or elsewhere), the raw message and detail. Translation happens at render
 * time, so switching the language re-translates errors already on screen.
 */
import type { ErrorCode } from '../../../preload/contract.js';
import { isMessageKey, type MessageKey } from '../i18n/translate.js';

export interface ErrorInfo {
  code: ErrorCode | null;
  message: string;
  detail?: string;
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && isMessageKey(`error.${value}`) && value !== 'transport';
}

/** Accepts a ContractError, a plain `{ code, message, detail }` shape or anything thrown. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (typeof error === 'object' && error !== null) {
    const { code, message, detail } = error as { code?: unknown; message?: unknown; detail?: unknown };
    const info: ErrorInfo = {
      code: isErrorCode(code) ? code : null,
      message: typeof message === 'string' ? message : String(error),
    };
    if (typeof detail === 'string' && detail !== '') info.detail = detail;
    return info;
  }
  return { code: null, message: String(error) };
}

/** The catalog key of the sentence that explains the error to a person. */
export function errorMessageKey(info: ErrorInfo): MessageKey {
  return info.code === null ? 'error.transport' : `error.${info.code}`;
}

/** The raw text shown under the translated sentence (message, then detail if different). */
export function errorDetailText(info: ErrorInfo): string {
  const parts = [info.message.trim(), info.detail?.trim() ?? ''].filter((part) => part !== '');
  return [...new Set(parts)].join('\n');
}
