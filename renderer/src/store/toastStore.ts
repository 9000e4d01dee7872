/** Error notices in the corner; stored as keys so they re-translate on a language switch. */
import { create } from 'zustand';
import type { MessageKey, MessageParams } from '../i18n/translate.js';
import type { ErrorInfo } from '../errors/errorInfo.js';
import { useConnectionStore } from './connectionStore.js';

export interface Toast {
  id: number;
  titleKey: MessageKey;
  titleParams?: MessageParams;
  error: ErrorInfo;
}

interface ToastState {
  toasts: Toast[];
  showError(titleKey: MessageKey, error: ErrorInfo, titleParams?: MessageParams): void;
  dismiss(id: number): void;
}

const MAX_TOASTS = 4;
let nextId = 1;

export const useToastStore = create<ToastState>()((set) => ({
  toasts: [],
  showError: (titleKey, error, titleParams) =>
    set((state) => {
      // Once the service itself is gone, the banner says so; a toast per failed call would only add noise.
      if (error.code === 'transport-closed' || useConnectionStore.getState().transportLost) return {};
      const toast: Toast = { id: nextId++, titleKey, error };
      if (titleParams) toast.titleParams = titleParams;
      return { toasts: [...state.toasts, toast].slice(-MAX_TOASTS) };
    }),
  dismiss: (id) => set((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) })),
}));
