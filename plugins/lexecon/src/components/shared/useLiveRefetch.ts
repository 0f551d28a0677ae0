import { LiveMessage } from '@internal/plugin-lexecon-common';
import { useSignal } from '@backstage/plugin-signals-react';
import { useEffect, useRef } from 'react';

/**
 * How long the signals of one change may keep coming before the page loads once: a refresh
 * writes its sources one after another, each with its own signal.
 */
export const LIVE_REFETCH_DEBOUNCE_MS = 500;

/**
 * Loads the page's data again when the backend signals on `channel` that it changed (and
 * `accept` keeps the message), once per burst. Without the signals plugin nothing happens: the
 * page is as live as its Reload button.
 */
export function useLiveRefetch<T extends LiveMessage>(
  channel: string,
  refetch: () => void,
  accept: (message: T) => boolean = () => true,
): void {
  const { lastSignal } = useSignal<T>(channel);
  const latest = useRef({ refetch, accept });
  latest.current = { refetch, accept };
  const timer = useRef<ReturnType<typeof setTimeout>>();

  useEffect(() => {
    if (!lastSignal || !latest.current.accept(lastSignal)) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = undefined;
      latest.current.refetch();
    }, LIVE_REFETCH_DEBOUNCE_MS);
  }, [lastSignal]);

  useEffect(() => () => clearTimeout(timer.current), []);
}
