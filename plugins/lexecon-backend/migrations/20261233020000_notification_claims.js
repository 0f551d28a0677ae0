// @ts-check

/**
 * Notifications sent (issue 15): one row per event (a run starting to wait, an SLA breach, ...),
 * inserted before the notification is sent. Its primary key makes each event notified once,
 * whichever replica or refresh sees it first; the recipients are kept so that a later event
 * (the run decided) reaches whoever was told of the first.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('lexecon_notification_claims', table => {
    table.comment('One notified event, claimed before it is sent');
    table.string('event_key', 512).primary().notNullable();
    table.string('kind', 64).notNullable();
    table.string('claim_id', 36).notNullable();
    table.text('recipients').notNullable().comment('JSON array of entity refs');
    table.timestamp('claimed_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('lexecon_notification_claims');
};
