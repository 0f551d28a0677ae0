// @ts-check

/**
 * The change set of each production deploy (issue 14, lead time for changes), read by the github
 * source: the commits between the deploy before it that succeeded and the deploy's own commit,
 * each with its author date, or why they could not be read. A deploy read for good is never
 * asked again; rows older than `lexecon.delivery.retention` are dropped.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('lexecon_deploy_change_sets', table => {
    table.comment('The commits one deploy (a deploy workflow run) shipped');
    table.string('entity_ref', 512).notNullable();
    table.string('environment', 255).notNullable();
    table.bigInteger('run_id').notNullable();
    table.string('head_sha', 64).notNullable();
    table.string('base_sha', 64).nullable();
    table
      .string('deployed_at', 32)
      .notNullable()
      .comment('The run creation, ISO 8601: what the retention counts from');
    table
      .text('commits')
      .nullable()
      .comment('JSON: Array<{ sha, authoredAt }>, oldest first; null: unknown');
    table.integer('total_commits').nullable();
    table
      .text('unknown_reason')
      .nullable()
      .comment('Why the change set is unknown, in words');
    table
      .boolean('settled')
      .notNullable()
      .comment('False: a failure worth retrying at the next read');
    table.timestamp('read_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'environment', 'run_id']);
    table.index(
      ['entity_ref', 'deployed_at'],
      'lexecon_deploy_change_sets_deployed',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('lexecon_deploy_change_sets');
};
