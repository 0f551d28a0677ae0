// @ts-check

/**
 * Stored daily cost (issue 13): the facts per entity, provider, component and day; the days each
 * provider has been read for (a day without cost is read too, so it is not asked for again); and
 * the billed requests each provider has taken per UTC day, counted here so that the cap holds
 * across replicas.
 *
 * Days are `YYYY-MM-DD` strings: the same on SQLite and PostgreSQL, and compared as text.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('lexecon_cost_facts', table => {
    table.comment('One component’s cost on one day, as the provider billed it');
    table.string('entity_ref', 512).notNullable();
    table.string('provider', 32).notNullable();
    table.string('component', 255).notNullable();
    table.string('day', 10).notNullable();
    table.double('amount').notNullable();
    table.string('currency', 8).notNullable();
    table
      .boolean('estimated')
      .notNullable()
      .comment('The provider may still revise the amount');
    table.primary(['entity_ref', 'provider', 'component', 'day']);
  });
  await knex.schema.createTable('lexecon_cost_days', table => {
    table.comment('The days a provider has been read for an entity');
    table.string('entity_ref', 512).notNullable();
    table.string('provider', 32).notNullable();
    table.string('day', 10).notNullable();
    table.boolean('estimated').notNullable();
    table.timestamp('fetched_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'provider', 'day']);
  });
  await knex.schema.createTable('lexecon_cost_requests', table => {
    table.comment('Billed requests per provider and UTC day, against the cap');
    table.string('provider', 32).notNullable();
    table.string('day', 10).notNullable();
    table.integer('used').notNullable().defaultTo(0);
    table.primary(['provider', 'day']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('lexecon_cost_requests');
  await knex.schema.dropTable('lexecon_cost_days');
  await knex.schema.dropTable('lexecon_cost_facts');
};
