import {
  createContext,
  ReactNode,
  useCallback,
  useContext,
  useMemo,
  useState,
} from 'react';

interface EntityDataChanged {
  /** Moves each time the data behind the page changed (a refresh landed, a decision was made). */
  version: number;
  notifyChanged: () => void;
}

const Context = createContext<EntityDataChanged>({
  version: 0,
  notifyChanged: () => {},
});

/**
 * Scopes the "entity data changed" signal to a page: whatever changes the data (Refresh, a
 * decision) says so once, and every card reading through `useLexecon` reloads; no counters are
 * passed down.
 */
export function EntityDataProvider(props: { children: ReactNode }) {
  const [version, setVersion] = useState(0);
  const notifyChanged = useCallback(() => setVersion(v => v + 1), []);
  const value = useMemo(
    () => ({ version, notifyChanged }),
    [version, notifyChanged],
  );
  return <Context.Provider value={value}>{props.children}</Context.Provider>;
}

export function useEntityDataChanged(): EntityDataChanged {
  return useContext(Context);
}
