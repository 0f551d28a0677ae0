// @ts-check

/**
 * Evidence recorded in the portal (issue 16):
 * - attachments: a document or record an owner attached to an evidence item, its bytes with their
 *   SHA-256 (unique per item: the same file twice is one piece of evidence), media type, size,
 *   who attached it and the day it is evidence for;
 * - items marked not applicable, with the reason (a withdrawn mark is deleted; the audit trail
 *   keeps both).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('lexecon_evidence_attachments', table => {
    table.comment('A document or record attached to an evidence item');
    table.increments('id');
    table.string('item_id', 255).notNullable();
    table.string('file_name', 255).notNullable();
    table.string('media_type', 100).notNullable();
    table.integer('size_bytes').notNullable();
    table.string('sha256', 64).notNullable().comment('hex');
    table.binary('content').notNullable();
    table.string('effective_date', 10).notNullable().comment('YYYY-MM-DD');
    table.text('note').nullable();
    table.string('uploaded_by', 512).notNullable();
    table.string('uploaded_at', 32).notNullable().comment('ISO 8601');
    table.unique(['item_id', 'sha256'], {
      indexName: 'lexecon_evidence_attachments_item_sha',
    });
  });
  await knex.schema.createTable('lexecon_evidence_not_applicable', table => {
    table.comment('An evidence item its owners declared not applicable');
    table.string('item_id', 255).primary();
    table.text('reason').notNullable();
    table.string('marked_by', 512).notNullable();
    table.string('marked_at', 32).notNullable().comment('ISO 8601');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('lexecon_evidence_not_applicable');
  await knex.schema.dropTable('lexecon_evidence_attachments');
};
