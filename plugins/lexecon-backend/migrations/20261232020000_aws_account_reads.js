// @ts-check

/**
 * Cost Explorer reads that cover the whole account (issue 13): AWS's anomalies and its EC2
 * rightsizing recommendations are the same for every service, so they are read once a UTC day
 * for all of them and kept here; each service takes its own share. Days older than a week are
 * dropped as new ones are written.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('lexecon_aws_account_reads', table => {
    table.comment('One account-wide Cost Explorer read of one UTC day');
    table.string('kind', 32).notNullable().comment('anomalies or rightsizing');
    table.string('day', 10).notNullable();
    table.timestamp('read_at', { useTz: true }).notNullable();
    table
      .text('payload')
      .notNullable()
      .comment('JSON array of what AWS answered');
    table.primary(['kind', 'day']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('lexecon_aws_account_reads');
};
