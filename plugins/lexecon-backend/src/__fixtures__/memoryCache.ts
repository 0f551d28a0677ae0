import { CacheService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';

/** An in-memory CacheService, enough for the sources' ETag store in tests. */
export function memoryCache(): CacheService {
  const values = new Map<string, JsonValue>();
  const cache: CacheService = {
    async get<T extends JsonValue>(key: string) {
      return values.get(key) as T | undefined;
    },
    async set(key, value) {
      values.set(key, value);
    },
    async delete(key) {
      values.delete(key);
    },
    withOptions: () => cache,
  };
  return cache;
}
