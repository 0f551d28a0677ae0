import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { migrateDatabase } from '../../database/migrate';

/** The databases every approvals test runs on (PostgreSQL where the environment provides one). */
export const APPROVALS_TEST_DATABASES: TestDatabaseId[] = [
  'SQLITE_3',
  'POSTGRES_15',
  'POSTGRES_16',
  'POSTGRES_17',
];

/** A fresh database with the plugin's migrations applied, for tests of one store. */
export async function migratedDatabase(
  databases: TestDatabases,
  id: TestDatabaseId,
): Promise<Knex> {
  const knex = await databases.init(id);
  await migrateDatabase({ getClient: async () => knex });
  return knex;
}
