// @ts-check

/**
 * AWS's cost anomalies and rightsizing recommendations per entity as the daily aws-cost read
 * found them (replaced as a whole by each read), when each was last read, and the portal's
 * acknowledgements of anomalies (kept forever: who said what, and what AWS was told).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('lexecon_aws_cost_anomalies', table => {
    table.comment('An anomaly AWS Cost Anomaly Detection reported, per entity');
    table.string('entity_ref', 512).notNullable();
    table.string('anomaly_id', 200).notNullable();
    table.string('component', 255).notNullable();
    table.string('start_day', 10).notNullable();
    table.string('end_day', 10).nullable();
    table.double('impact').notNullable();
    table.double('actual').nullable();
    table.double('expected').nullable();
    table.double('max_score').nullable();
    table.text('root_causes').notNullable().comment('JSON array');
    table.string('feedback', 32).nullable().comment('AWS’s feedback on it');
    table.primary(['entity_ref', 'anomaly_id']);
  });
  await knex.schema.createTable('lexecon_aws_rightsizing', table => {
    table.comment('An EC2 instance AWS would resize or stop, per entity');
    table.string('entity_ref', 512).notNullable();
    table.string('resource_id', 255).notNullable();
    table.text('recommendation').notNullable().comment('JSON');
    table.double('monthly_savings').notNullable();
    table.primary(['entity_ref', 'resource_id']);
  });
  await knex.schema.createTable('lexecon_aws_cost_reads', table => {
    table.comment(
      'When anomalies or recommendations were last read per entity',
    );
    table.string('entity_ref', 512).notNullable();
    table.string('kind', 32).notNullable();
    table.timestamp('read_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'kind']);
  });
  await knex.schema.createTable('lexecon_cost_acknowledgements', table => {
    table.comment('A person’s acknowledgement of a cost anomaly');
    table.increments('id');
    table.string('entity_ref', 512).notNullable();
    table.string('anomaly_id', 200).notNullable();
    table.string('reason', 32).notNullable();
    table.text('comment').nullable();
    table.string('acknowledged_by', 512).notNullable();
    table.timestamp('acknowledged_at', { useTz: true }).notNullable();
    table
      .text('forwarding')
      .notNullable()
      .comment('JSON: what AWS was told, or none');
    table.index(['entity_ref', 'anomaly_id']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('lexecon_cost_acknowledgements');
  await knex.schema.dropTable('lexecon_aws_cost_reads');
  await knex.schema.dropTable('lexecon_aws_rightsizing');
  await knex.schema.dropTable('lexecon_aws_cost_anomalies');
};
