// @ts-check

/**
 * CI run attempts per service with their jobs and steps (issue 14, CI health), read by the
 * github-ci-runs source: each attempt of a run of the entity's CI workflow, and each job of that
 * attempt with its steps' timings as JSON (a step is only ever read with its job). A run read
 * again replaces its rows; rows older than `lexecon.delivery.retention` are dropped.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('lexecon_ci_run_attempts', table => {
    table.comment('One attempt of one CI workflow run of one service');
    table.string('entity_ref', 512).notNullable();
    table.bigInteger('run_id').notNullable();
    table.integer('attempt').notNullable();
    table.string('workflow', 255).notNullable();
    table.string('head_sha', 64).notNullable();
    table.string('conclusion', 32).nullable();
    table.string('started_at', 32).notNullable().comment('ISO 8601');
    table
      .string('run_created_at', 32)
      .notNullable()
      .comment(
        "The run's first attempt, ISO 8601: the incremental read's cursor",
      );
    table.text('url').nullable();
    table.timestamp('read_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'run_id', 'attempt']);
    table.index(
      ['entity_ref', 'started_at'],
      'lexecon_ci_run_attempts_started',
    );
  });
  await knex.schema.createTable('lexecon_ci_jobs', table => {
    table.comment('A job of one CI run attempt, with its steps');
    table.string('entity_ref', 512).notNullable();
    table.bigInteger('run_id').notNullable();
    table.integer('attempt').notNullable();
    table.integer('position').notNullable();
    table.string('name', 255).notNullable();
    table.string('conclusion', 32).nullable();
    table.string('started_at', 32).nullable();
    table.string('completed_at', 32).nullable();
    table.text('steps').notNullable().comment('JSON: CiStepFact[]');
    table.primary(['entity_ref', 'run_id', 'attempt', 'position']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('lexecon_ci_jobs');
  await knex.schema.dropTable('lexecon_ci_run_attempts');
};
