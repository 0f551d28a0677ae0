// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('lexecon_snapshots', table => {
    table
      .string('data_hash', 64)
      .nullable()
      .comment(
        'SHA-256 of data: an unchanged refresh (e.g. GitHub answered 304) keeps it, so views built from the data stay valid',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('lexecon_snapshots', table => {
    table.dropColumn('data_hash');
  });
};
