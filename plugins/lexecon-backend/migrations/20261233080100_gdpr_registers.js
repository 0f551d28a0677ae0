// @ts-check

/**
 * The GDPR registers kept in the portal (issue 16). Each row keeps what the owner entered as JSON
 * (validated by the API), beside the columns the registers are ordered and judged by:
 * - records of processing (Art. 30);
 * - data subject requests, with the deadline counting rule in force when each was received, so a
 *   later change of lexecon.evidence.gdpr.deadlineRule moves no deadline;
 * - personal data breaches, with the incident they came from and when the controller became aware.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const common = (/** @type {import('knex').Knex.CreateTableBuilder} */ t) => {
    t.increments('id');
    t.text('data').notNullable().comment('JSON: the fields as entered');
    t.string('updated_by', 512).notNullable();
    t.string('updated_at', 32).notNullable().comment('ISO 8601');
  };
  await knex.schema.createTable('lexecon_gdpr_processing_records', table => {
    table.comment('GDPR Art. 30: one processing activity');
    common(table);
  });
  await knex.schema.createTable('lexecon_gdpr_requests', table => {
    table.comment('GDPR Art. 12-22: one data subject request');
    common(table);
    table.string('received_on', 10).notNullable().comment('YYYY-MM-DD');
    table
      .string('deadline_rule', 32)
      .notNullable()
      .comment('calendar-month or days-30, fixed at receipt');
  });
  await knex.schema.createTable('lexecon_gdpr_breaches', table => {
    table.comment('GDPR Art. 33: one personal data breach');
    common(table);
    table.string('incident_id', 200).notNullable();
    table.string('aware_at', 32).notNullable().comment('ISO 8601');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('lexecon_gdpr_breaches');
  await knex.schema.dropTable('lexecon_gdpr_requests');
  await knex.schema.dropTable('lexecon_gdpr_processing_records');
};
