import { createHash } from 'node:crypto';

/**
 * A SHA-256 of JSON data that does not depend on the order object keys were set in: sources
 * fill maps from parallel calls, so the same upstream answers can arrive in another order.
 * Array order is kept: it is part of the data.
 */
export function dataHash(data: unknown): string {
  return createHash('sha256').update(canonicalJson(data)).digest('hex');
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const record = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map(k => [k, record[k]]),
    );
  });
}
