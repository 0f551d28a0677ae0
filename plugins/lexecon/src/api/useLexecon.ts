import { useApi } from '@backstage/core-plugin-api';
import { DependencyList } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useEntityDataChanged } from '../components/shared/EntityDataChanged';
import { LexeconApi, lexeconApiRef } from './LexeconApi';

/**
 * The one way views read the Lexecon backend: `load` runs with the client, again when `deps`
 * change and again whenever the page's data changed (see EntityDataProvider).
 */
export function useLexecon<T>(
  load: (api: LexeconApi) => Promise<T>,
  deps: DependencyList,
) {
  const api = useApi(lexeconApiRef);
  const { version } = useEntityDataChanged();
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useAsyncRetry(() => load(api), [api, version, ...deps]);
}
