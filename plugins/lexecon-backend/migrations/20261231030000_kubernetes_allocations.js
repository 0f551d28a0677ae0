// @ts-check

/**
 * Kubernetes cost per workload (issue 13, OpenCost): each day's requests, use and cost of every
 * workload of an entity's namespaces, and the share of the cluster's idle capacity given to the
 * entity that day. The cost by component is in lexecon_cost_facts with the other providers';
 * these tables hold what only OpenCost knows, for utilisation and cost per 1,000 decisions.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('lexecon_kubernetes_workload_days', table => {
    table.comment(
      'A workload’s daily average request and use, with their cost',
    );
    table.string('entity_ref', 512).notNullable();
    table.string('provider', 32).notNullable();
    table.string('day', 10).notNullable();
    table.string('namespace', 253).notNullable();
    table
      .string('workload', 512)
      .notNullable()
      .comment('kind:name of its controller, or __unallocated__');
    table.double('cpu_request_cores').notNullable();
    table.double('cpu_used_cores').notNullable();
    table.double('cpu_cost').notNullable();
    table.double('ram_request_bytes').notNullable();
    table.double('ram_used_bytes').notNullable();
    table.double('ram_cost').notNullable();
    table.double('pv_cost').notNullable();
    table.double('network_cost').notNullable();
    table.string('currency', 8).notNullable();
    table.primary(['entity_ref', 'provider', 'day', 'namespace', 'workload']);
  });
  await knex.schema.createTable('lexecon_kubernetes_idle_days', table => {
    table.comment('The entity’s share of the cluster’s idle cost on one day');
    table.string('entity_ref', 512).notNullable();
    table.string('provider', 32).notNullable();
    table.string('day', 10).notNullable();
    table.double('amount').notNullable();
    table.string('currency', 8).notNullable();
    table.primary(['entity_ref', 'provider', 'day']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('lexecon_kubernetes_idle_days');
  await knex.schema.dropTable('lexecon_kubernetes_workload_days');
};
