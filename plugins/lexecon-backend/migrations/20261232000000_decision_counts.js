// @ts-check

/**
 * Decisions per service and UTC day (issue 13, cost per 1,000 decisions), read once a day from
 * Datadog's metrics query by the datadog-decisions source. A past day's count does not change, so
 * only days not yet stored are asked for.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('lexecon_decision_counts', table => {
    table.comment('Governance decisions one service made on one UTC day');
    table.string('entity_ref', 512).notNullable();
    table.string('day', 10).notNullable();
    table.bigInteger('count').notNullable();
    table.timestamp('read_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'day']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('lexecon_decision_counts');
};
