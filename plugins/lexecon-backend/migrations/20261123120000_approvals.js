// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('lexecon_audit_log', table => {
    table.comment(
      'Append-only, hash-chained record of every approval decision, refusal and GitHub review',
    );
    table.increments('id').primary();
    table.string('at', 40).notNullable().comment('ISO 8601, as hashed');
    table.string('action', 40).notNullable();
    table.string('actor', 255).notNullable();
    table.string('github_login', 100).nullable();
    table.string('entity_ref', 255).nullable();
    table.string('repository', 255).nullable();
    table.bigInteger('run_id').nullable();
    table.string('environment', 100).nullable();
    table.string('version', 100).nullable();
    table.string('decision', 20).nullable();
    table.text('comment').nullable();
    table.text('outcome').notNullable();
    table.integer('upstream_status').nullable();
    table.string('mode', 40).nullable();
    table.string('delivery_id', 100).nullable().unique();
    table
      .string('prev_hash', 64)
      .notNullable()
      .unique()
      .comment(
        'Unique: two writers can never extend the chain from the same row',
      );
    table.string('hash', 64).notNullable();
    table.index(['entity_ref', 'at']);
    table.index(['at']);
  });
  await knex.schema.createTable('lexecon_approval_decisions', table => {
    table.comment(
      'One row per run and environment once someone started deciding: makes decisions idempotent across replicas',
    );
    table.string('repository', 255).notNullable();
    table.bigInteger('run_id').notNullable();
    table.string('environment', 100).notNullable();
    table
      .string('state', 20)
      .notNullable()
      .comment('in-progress, approved or rejected');
    table
      .string('claim_id', 64)
      .notNullable()
      .comment('Random id of the request holding the claim');
    table.string('actor', 255).notNullable();
    table.string('github_login', 100).nullable();
    table.string('started_at', 40).notNullable();
    table.string('decided_at', 40).nullable();
    table.primary(['repository', 'run_id', 'environment']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('lexecon_approval_decisions');
  await knex.schema.dropTable('lexecon_audit_log');
};
