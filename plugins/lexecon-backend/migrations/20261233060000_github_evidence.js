// @ts-check

/**
 * SOC 2 / GDPR evidence read from GitHub (issue 16), by the github-evidence source: one row per
 * successful read of a service's repository (branch protection, production reviewers, admins,
 * open alerts against the patch SLA, policy documents) with when it was collected and when it
 * stops counting, kept as the history an auditor samples; and each service's last read attempt,
 * so that a failed read, which stores no observation, still makes its items fail.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('lexecon_github_evidence', table => {
    table.comment('One successful read of the GitHub evidence of one service');
    table.string('entity_ref', 512).notNullable();
    table.string('collected', 32).notNullable().comment('ISO 8601');
    table.string('expires', 32).notNullable().comment('ISO 8601');
    table.text('facts').notNullable().comment('JSON: GithubEvidenceFacts');
    table.primary(['entity_ref', 'collected']);
  });
  await knex.schema.createTable('lexecon_github_evidence_reads', table => {
    table.comment('The last attempt to read the GitHub evidence of a service');
    table.string('entity_ref', 512).primary();
    table.string('attempted_at', 32).notNullable().comment('ISO 8601');
    table
      .text('error')
      .nullable()
      .comment('Why the attempt failed; null when it stored an observation');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('lexecon_github_evidence_reads');
  await knex.schema.dropTable('lexecon_github_evidence');
};
