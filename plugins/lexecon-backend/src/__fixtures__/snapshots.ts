import { Knex } from 'knex';

/** The sources with a stored snapshot (good or failed) for the entity, e.g. ['github', 'kubernetes']. */
export async function storedSources(
  knex: Knex,
  entityRef: string,
): Promise<string[]> {
  const rows = await knex('lexecon_snapshots')
    .where({ entity_ref: entityRef })
    .select('source');
  return rows.map(r => r.source).sort();
}
