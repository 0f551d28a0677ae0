import { Knex } from 'knex';

/** A provider's billed requests on one UTC day against its cap. */
export interface RequestBudgetState {
  day: string;
  cap: number;
  used: number;
  remaining: number;
}

/**
 * A cap on a provider's billed requests per UTC day (Cost Explorer bills $0.01 a page), counted
 * in the database: every replica takes from the same count, and a restart forgets nothing.
 */
export class RequestBudget {
  constructor(private readonly knex: Knex) {}

  /**
   * Takes one request from the day's budget; false when the cap is reached. One conditional
   * UPDATE decides, so two replicas can never both take the last one.
   */
  async take(provider: string, day: string, cap: number): Promise<boolean> {
    await this.knex('lexecon_cost_requests')
      .insert({ provider, day, used: 0 })
      .onConflict(['provider', 'day'])
      .ignore();
    const updated = await this.knex('lexecon_cost_requests')
      .where({ provider, day })
      .andWhere('used', '<', cap)
      .increment('used', 1);
    return updated === 1;
  }

  async state(
    provider: string,
    day: string,
    cap: number,
  ): Promise<RequestBudgetState> {
    const row = await this.knex('lexecon_cost_requests')
      .where({ provider, day })
      .first('used');
    const used = Number(row?.used ?? 0);
    return { day, cap, used, remaining: Math.max(0, cap - used) };
  }
}
