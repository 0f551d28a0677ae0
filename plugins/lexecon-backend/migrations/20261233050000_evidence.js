// @ts-check

/**
 * SOC 2 / GDPR evidence derived by the portal (issue 16), written by the portal-evidence source:
 * - observations of evidence items (per service, or org-wide with entity_ref ''), each with when
 *   it was collected and when it expires; an unchanged verdict moves `collected` forward and
 *   keeps `first_collected`, so the table grows with changes, not with every read;
 * - the production change population, one row per production deploy (the CC8.1 population);
 * - what the portal saw of a run while it waited for production (change set authors, CI result,
 *   readiness), kept because the approvals snapshot only holds runs still waiting.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('lexecon_evidence_observations', table => {
    table.comment(
      'One verdict on one evidence item of one service (or org-wide)',
    );
    table.increments('id');
    table.string('item_id', 255).notNullable();
    table
      .string('entity_ref', 512)
      .notNullable()
      .defaultTo('')
      .comment("'' for evidence about the whole portal");
    table.string('status', 32).notNullable();
    table.text('reason').notNullable();
    table.string('first_collected', 32).notNullable().comment('ISO 8601');
    table.string('collected', 32).notNullable().comment('ISO 8601');
    table.string('expires', 32).notNullable().comment('ISO 8601');
    table.text('source_url').nullable();
    table.text('facts').notNullable().comment('JSON');
    table.index(
      ['item_id', 'entity_ref', 'collected'],
      'lexecon_evidence_obs_item',
    );
  });
  await knex.schema.createTable('lexecon_evidence_changes', table => {
    table.comment('One production deploy of the change population (CC8.1)');
    table.string('entity_ref', 512).notNullable();
    table.string('deploy_id', 255).notNullable();
    table.string('started_at', 32).notNullable().comment('ISO 8601');
    table.text('row').notNullable().comment('JSON: ChangeRow');
    table.primary(['entity_ref', 'deploy_id']);
    table.index(['started_at'], 'lexecon_evidence_changes_started');
  });
  await knex.schema.createTable('lexecon_evidence_run_context', table => {
    table.comment(
      'A production run as the portal saw it while it waited for approval',
    );
    table.string('entity_ref', 512).notNullable();
    table.bigInteger('run_id').notNullable();
    table.text('context').notNullable().comment('JSON: RunContext');
    table.primary(['entity_ref', 'run_id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('lexecon_evidence_run_context');
  await knex.schema.dropTable('lexecon_evidence_changes');
  await knex.schema.dropTable('lexecon_evidence_observations');
};
