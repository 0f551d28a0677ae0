// @ts-check

/**
 * The stored change sets of deploys now keep who had a hand in each commit (author, committer,
 * co-authors), so the evidence population can check every production deploy's approver against
 * them. Change sets read before that are read again once: they are marked unsettled.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex('lexecon_deploy_change_sets')
    .whereNotNull('commits')
    .update({ settled: false });
};

/** Nothing to undo: rows read again keep the same commits, with their people. */
exports.down = async function down() {};
