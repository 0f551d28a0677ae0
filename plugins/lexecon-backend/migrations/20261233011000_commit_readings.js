// @ts-check

/**
 * The readiness inputs of each commit released to production (issue 14, readiness and coverage
 * trends), read by the github source when it first sees the deploy: the commit's checks
 * (coverage, code quality), the CI runs before it and the security alerts open then. The score
 * is computed from them when viewed, against the configured gate. Rows older than
 * `lexecon.delivery.retention` are dropped.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('lexecon_commit_readings', table => {
    table.comment('The readiness inputs of a released commit, as read once');
    table.string('entity_ref', 512).notNullable();
    table.string('sha', 64).notNullable();
    table
      .string('measured_at', 32)
      .notNullable()
      .comment('When the commit was released, ISO 8601');
    table.text('facts').notNullable().comment('JSON: ReadinessFacts');
    table.timestamp('read_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'sha']);
    table.index(
      ['entity_ref', 'measured_at'],
      'lexecon_commit_readings_measured',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('lexecon_commit_readings');
};
