import { Knex } from 'knex';
import { AuditEvent, AuditLog } from '../../audit/AuditLog';

/** Tries to extend the chain this many times, each in a fresh savepoint, before giving up. */
const ATTEMPTS = 5;

/**
 * Runs a write and appends its audit record in one transaction: the change is stored only if its
 * record is, and a refused write leaves neither. The record is appended in a savepoint because on
 * PostgreSQL a lost race for the chain's head (a unique violation) aborts what it ran in; the
 * savepoint is rolled back and the append tried again from the new head.
 */
export async function auditedWrite<T>(
  knex: Knex,
  audit: { hmacKey: string; now?: () => Date },
  write: (tx: Knex.Transaction) => Promise<{ result: T; event: AuditEvent }>,
): Promise<T> {
  return knex.transaction(async tx => {
    const { result, event } = await write(tx);
    for (let attempt = 1; ; attempt++) {
      try {
        await tx.transaction(savepoint =>
          new AuditLog(savepoint, audit).append(event),
        );
        return result;
      } catch (error) {
        if (attempt >= ATTEMPTS) throw error;
      }
    }
  });
}
