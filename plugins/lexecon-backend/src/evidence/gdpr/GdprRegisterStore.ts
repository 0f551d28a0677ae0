import { NotFoundError } from '@backstage/errors';
import { DsrDeadlineRule } from '@internal/plugin-lexecon-common';
import { Knex } from 'knex';
import { auditedWrite } from '../recorded/auditedWrite';
import { RegisterSpec, StoredEntry } from './gdprRegisterSpecs';

const COMMON = ['id', 'data', 'updated_by', 'updated_at'];

function entryOf<B>(row: Record<string, unknown>): StoredEntry<B> {
  const columns = Object.fromEntries(
    Object.entries(row)
      .filter(([key]) => !COMMON.includes(key))
      .map(([key, value]) => [key, String(value)]),
  );
  return {
    id: Number(row.id),
    data: JSON.parse(row.data as string) as B,
    columns,
    updatedBy: row.updated_by as string,
    updatedAt: row.updated_at as string,
  };
}

/**
 * The GDPR registers' entries. Every write stores its audit record in the same transaction; an
 * update records the entry before and after.
 */
export class GdprRegisterStore {
  private readonly now: () => Date;

  constructor(
    private readonly knex: Knex,
    private readonly options: {
      hmacKey: string;
      /** The counting rule a new request gets. */
      deadlineRule: DsrDeadlineRule;
      now?: () => Date;
    },
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** The register's entries as they stand at `at` (overdue, late). */
  async list<B, V>(spec: RegisterSpec<B, V>, at = this.now()): Promise<V[]> {
    const rows = await this.knex(spec.table)
      .orderBy(spec.orderBy, 'desc')
      .orderBy('id', 'desc');
    const context = { now: at };
    return rows.map((row: Record<string, unknown>) =>
      spec.view(entryOf<B>(row), context),
    );
  }

  async create<B, V>(spec: RegisterSpec<B, V>, body: B, by: string) {
    const at = this.now();
    return auditedWrite(this.knex, this.options, async tx => {
      const row = {
        data: JSON.stringify(body),
        updated_by: by,
        updated_at: at.toISOString(),
        ...spec.columns(body, this.options),
      };
      const [inserted] = await tx(spec.table).insert(row).returning('id');
      const id =
        typeof inserted === 'object' ? Number(inserted.id) : Number(inserted);
      const view = spec.view(entryOf<B>({ ...row, id }), { now: at });
      return {
        result: view,
        event: {
          action: 'gdpr-register-created' as const,
          actor: by,
          subject: `GDPR register ${spec.name} #${id}`,
          at: at.toISOString(),
          details: { register: spec.name, id, entry: JSON.parse(row.data) },
        },
      };
    });
  }

  async update<B, V>(
    spec: RegisterSpec<B, V>,
    id: number,
    body: B,
    by: string,
  ) {
    const at = this.now();
    return auditedWrite(this.knex, this.options, async tx => {
      const existing = await tx(spec.table).where({ id }).first();
      if (!existing) {
        throw new NotFoundError(
          `No entry ${id} in the GDPR register ${spec.name}`,
        );
      }
      const before = entryOf<B>(existing);
      const row = {
        data: JSON.stringify(body),
        updated_by: by,
        updated_at: at.toISOString(),
        ...spec.columns(body, this.options, before.columns),
      };
      await tx(spec.table).where({ id }).update(row);
      const view = spec.view(entryOf<B>({ ...existing, ...row }), { now: at });
      return {
        result: view,
        event: {
          action: 'gdpr-register-updated' as const,
          actor: by,
          subject: `GDPR register ${spec.name} #${id}`,
          at: at.toISOString(),
          details: {
            register: spec.name,
            id,
            before: JSON.parse(existing.data),
            after: JSON.parse(row.data),
          },
        },
      };
    });
  }
}
