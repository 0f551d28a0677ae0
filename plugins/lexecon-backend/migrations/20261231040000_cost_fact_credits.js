// @ts-check

/**
 * Credits per cost fact (issue 13): the GCP billing export reports credits (committed use
 * discounts, promotions) apart from the gross cost; the fact's amount is net of them and the
 * credits are kept beside it, so a month with credits explains itself. Null where the provider
 * reports no credits apart (Cost Explorer's amounts already include them).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('lexecon_cost_facts', table => {
    table
      .double('credits')
      .nullable()
      .comment('Credits (negative) netted into amount, where reported apart');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('lexecon_cost_facts', table => {
    table.dropColumn('credits');
  });
};
