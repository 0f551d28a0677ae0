import { LiveMessage } from '@internal/plugin-lexecon-common';
import { SignalApi } from '@backstage/plugin-signals-react';
import { act } from '@testing-library/react';

type Listener = (message: LiveMessage) => void;

/** The signals API of a test: `publish` delivers to the page's subscribers as the backend would. */
export class FakeSignalApi implements SignalApi {
  private readonly listeners = new Map<string, Set<Listener>>();

  subscribe<TMessage>(channel: string, onMessage: (message: TMessage) => void) {
    const listener = onMessage as unknown as Listener;
    const set = this.listeners.get(channel) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(channel, set);
    return { unsubscribe: () => set.delete(listener) };
  }

  /** How many subscriptions `channel` has now. */
  subscribers(channel: string): number {
    return this.listeners.get(channel)?.size ?? 0;
  }

  publish(channel: string, message: LiveMessage) {
    act(() => {
      for (const listener of this.listeners.get(channel) ?? []) {
        listener(message);
      }
    });
  }
}
