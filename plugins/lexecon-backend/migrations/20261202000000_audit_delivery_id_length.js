// @ts-check

/**
 * A webhook entry's delivery key is GitHub's delivery id (36 characters), a colon and the entity
 * ref (up to 255, the width of entity_ref): 100 characters refused the longer refs on PostgreSQL,
 * and that delivery was then neither audited nor refreshed. SQLite does not enforce lengths.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  if (String(knex.client.config.client).includes('sqlite')) return;
  await knex.schema.alterTable('lexecon_audit_log', table => {
    table.string('delivery_id', 300).nullable().alter();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  if (String(knex.client.config.client).includes('sqlite')) return;
  await knex.schema.alterTable('lexecon_audit_log', table => {
    table.string('delivery_id', 100).nullable().alter();
  });
};
