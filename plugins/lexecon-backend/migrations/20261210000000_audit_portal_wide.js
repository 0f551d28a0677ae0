// @ts-check

/** Only the width changes: primary key columns cannot even pass through nullable. */
const KEEP_NULLABILITY = { alterNullable: false };

/**
 * The portal-wide audit trail: records `{action, actor, subject, details, at}` in format
 * version 2 (see src/audit/AuditLog.ts); the rows written before stay version 1 and verify by
 * their own rule. Version 2 rows keep their content in `details`, so the version 1 `outcome`
 * column may be empty.
 *
 * Widths fit what GitHub and the catalog allow: tags and environment names up to 255
 * characters, entity refs longer than 255, and a delivery key of GitHub's delivery id (36), a
 * colon and an entity ref. SQLite does not enforce lengths, so it only gets the new columns.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('lexecon_audit_log', table => {
    table
      .integer('format_version')
      .notNullable()
      .defaultTo(1)
      .comment(
        '1: approval columns, SHA-256; 2: subject and details, HMAC-SHA256 over canonical JSON',
      );
    table.text('subject').nullable();
    table
      .text('details')
      .nullable()
      .comment('Canonical JSON object of a version 2 record');
    table.text('outcome').nullable().alter();
  });
  if (String(knex.client.config.client).includes('sqlite')) return;
  await knex.schema.alterTable('lexecon_audit_log', table => {
    table.string('actor', 512).alter(KEEP_NULLABILITY);
    table.string('entity_ref', 512).alter(KEEP_NULLABILITY);
    table.string('environment', 255).alter(KEEP_NULLABILITY);
    table.string('version', 255).alter(KEEP_NULLABILITY);
    table.string('delivery_id', 600).alter(KEEP_NULLABILITY);
  });
  await knex.schema.alterTable('lexecon_approval_decisions', table => {
    table.string('environment', 255).alter(KEEP_NULLABILITY);
    table.string('actor', 512).alter(KEEP_NULLABILITY);
  });
  await knex.schema.alterTable('lexecon_snapshots', table => {
    table.string('entity_ref', 512).alter(KEEP_NULLABILITY);
  });
};

/**
 * Refuses while version 2 records exist: going back would drop what they hold.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  const version2 = await knex('lexecon_audit_log')
    .where('format_version', 2)
    .first();
  if (version2) {
    throw new Error(
      'The audit log holds version 2 records; migrating down would lose them',
    );
  }
  if (!String(knex.client.config.client).includes('sqlite')) {
    await knex.schema.alterTable('lexecon_snapshots', table => {
      table.string('entity_ref', 255).alter(KEEP_NULLABILITY);
    });
    await knex.schema.alterTable('lexecon_approval_decisions', table => {
      table.string('environment', 100).alter(KEEP_NULLABILITY);
      table.string('actor', 255).alter(KEEP_NULLABILITY);
    });
    await knex.schema.alterTable('lexecon_audit_log', table => {
      table.string('actor', 255).alter(KEEP_NULLABILITY);
      table.string('entity_ref', 255).alter(KEEP_NULLABILITY);
      table.string('environment', 100).alter(KEEP_NULLABILITY);
      table.string('version', 100).alter(KEEP_NULLABILITY);
      table.string('delivery_id', 300).alter(KEEP_NULLABILITY);
    });
  }
  await knex.schema.alterTable('lexecon_audit_log', table => {
    table.text('outcome').notNullable().alter();
    table.dropColumn('details');
    table.dropColumn('subject');
    table.dropColumn('format_version');
  });
};
