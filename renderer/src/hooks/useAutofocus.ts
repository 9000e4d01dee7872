import { useEffect, useRef } from 'react';

/** Focuses the element marked data-autofocus inside the returned ref's element, on mount. */
export function useAutofocus<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
  }, []);
  return ref;
}
