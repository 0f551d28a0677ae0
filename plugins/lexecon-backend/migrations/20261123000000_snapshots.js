// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('lexecon_snapshots', table => {
    table.comment('Last fetched upstream data per catalog entity and source');
    table.string('entity_ref', 255).notNullable();
    table.string('source', 32).notNullable();
    table
      .text('data', 'longtext')
      .nullable()
      .comment('JSON payload of the last good fetch');
    table.timestamp('fetched_at', { useTz: true }).nullable();
    table.timestamp('attempted_at', { useTz: true }).notNullable();
    table.text('error').nullable().comment('Message of the last failed fetch');
    table.primary(['entity_ref', 'source']);
  });
  await knex.schema.createTable('lexecon_changelogs', table => {
    table.comment(
      'Commits between two deployed versions; immutable once fetched',
    );
    table.string('repository', 255).notNullable();
    table.string('base_sha', 64).notNullable();
    table.string('head_sha', 64).notNullable();
    table.text('data', 'longtext').notNullable();
    table.timestamp('fetched_at', { useTz: true }).notNullable();
    table.primary(['repository', 'base_sha', 'head_sha']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('lexecon_changelogs');
  await knex.schema.dropTable('lexecon_snapshots');
};
