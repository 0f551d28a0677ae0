/** A timestamp column as a Date: SQLite returns epoch milliseconds or strings, PostgreSQL Dates. */
export function timestampOf(value: unknown): Date {
  return value instanceof Date ? value : new Date(value as string | number);
}
