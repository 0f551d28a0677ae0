import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';

const migrationsDir = resolvePackagePath(
  '@internal/plugin-lexecon-backend',
  'migrations',
);

/**
 * Brings the plugin's tables to the latest schema. Called once at start-up, before any store is
 * built: the stores assume the schema and never migrate themselves. Knex's migration lock keeps
 * replicas starting together from running a migration twice.
 */
export async function migrateDatabase(
  database: Pick<DatabaseService, 'getClient' | 'migrations'>,
): Promise<void> {
  if (database.migrations?.skip) return;
  const knex = await database.getClient();
  await knex.migrate.latest({ directory: migrationsDir });
}
