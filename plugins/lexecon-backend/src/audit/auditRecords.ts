import { JsonObject } from '@backstage/types';
import {
  AbandonedClaim,
  ApprovalDecision,
  ApprovalMode,
  AuditAction,
  AuditRecord,
  GateException,
} from '@internal/plugin-lexecon-common';
import { CanonicalRecord, VERSION_1_FIELDS, Version1Fields } from './auditHash';

/** A record of any action, as the portal writes it (version 2 on). */
export interface AuditEvent {
  action: AuditAction;
  /** Backstage entity ref of the person or service, or `github:<login>`. */
  actor: string;
  subject: string;
  /** The catalog entity concerned, if any: the trail is filtered by it. */
  entityRef?: string;
  details: JsonObject;
  /** Defaults to the log's clock. */
  at?: string;
  /** GitHub's delivery key of a record made from a webhook: a redelivery is recorded once. */
  deliveryId?: string;
}

/** The approval-shaped entry the approvals workflow and the webhooks write. */
export type AuditEntry = Omit<
  AuditRecord,
  'id' | 'at' | 'prevHash' | 'hash' | 'subject' | 'details' | 'exception'
> & {
  at?: string;
  deliveryId?: string;
  /** Who, when and the id are the record's own. */
  exception?: Omit<GateException, 'by' | 'at' | 'auditId'>;
};

/** A row as the log reads it, in the portal-wide shape whatever version wrote it. */
export interface StoredRecord extends CanonicalRecord {
  id: number;
  formatVersion: number;
  prevHash: string;
  hash: string;
  /** For version 1 rows: the columns their hash covers. */
  version1?: Version1Fields;
  /** For version 2 rows: false when the details column is not a JSON object. */
  readable: boolean;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}

/** `owner/repo#runId/environment` for a run, else the entity (or the repository). */
function approvalSubject(entry: AuditEntry): string {
  if (entry.repository && entry.runId !== undefined) {
    const environment = entry.environment ? `/${entry.environment}` : '';
    return `${entry.repository}#${entry.runId}${environment}`;
  }
  return entry.entityRef ?? entry.repository ?? '';
}

/** An approval entry in the portal-wide shape: its approval fields become the details. */
export function toEvent(entry: AuditEntry | AuditEvent): AuditEvent {
  if ('subject' in entry) return entry;
  const { action, actor, at, entityRef, deliveryId, ...fields } = entry;
  return withoutUndefined({
    action,
    actor,
    at,
    entityRef,
    deliveryId,
    subject: approvalSubject(entry),
    details: withoutUndefined(fields),
  });
}

const VERSION_1_COLUMNS: Record<(typeof VERSION_1_FIELDS)[number], string> = {
  at: 'at',
  action: 'action',
  actor: 'actor',
  githubLogin: 'github_login',
  entityRef: 'entity_ref',
  repository: 'repository',
  runId: 'run_id',
  environment: 'environment',
  version: 'version',
  decision: 'decision',
  comment: 'comment',
  outcome: 'outcome',
  upstreamStatus: 'upstream_status',
  mode: 'mode',
  deliveryId: 'delivery_id',
};

/** A version 1 row's fields from its columns; bigint and integer columns as numbers. */
function version1Fields(row: Record<string, unknown>): Version1Fields {
  const fields: Record<string, unknown> = {};
  for (const field of VERSION_1_FIELDS) {
    const value = row[VERSION_1_COLUMNS[field]];
    const numeric = field === 'runId' || field === 'upstreamStatus';
    if (value !== null && value !== undefined) {
      fields[field] = numeric ? Number(value) : value;
    }
  }
  return fields;
}

function parseDetails(text: unknown): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(String(text));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as JsonObject)
      : undefined;
  } catch {
    return undefined;
  }
}

export function fromRow(row: Record<string, unknown>): StoredRecord {
  const link = {
    id: Number(row.id),
    formatVersion: Number(row.format_version),
    prevHash: String(row.prev_hash),
    hash: String(row.hash),
  };
  if (link.formatVersion === 1) {
    const version1 = version1Fields(row);
    const event = toEvent(version1 as AuditEntry);
    return {
      ...link,
      ...event,
      at: String(row.at),
      version1,
      readable: true,
    };
  }
  const details = parseDetails(row.details);
  return {
    ...link,
    ...withoutUndefined({
      at: String(row.at),
      action: String(row.action),
      actor: String(row.actor),
      subject: String(row.subject ?? ''),
      entityRef: (row.entity_ref as string | null) ?? undefined,
      deliveryId: (row.delivery_id as string | null) ?? undefined,
    }),
    details: details ?? {},
    readable: details !== undefined,
  };
}

/** The columns of a version 2 row; the approval columns of version 1 stay empty. */
export function toRow(
  record: CanonicalRecord,
  link: { prevHash: string; hash: string; detailsJson: string },
): Record<string, unknown> {
  return {
    format_version: 2,
    at: record.at,
    action: record.action,
    actor: record.actor,
    subject: record.subject,
    entity_ref: record.entityRef ?? null,
    details: link.detailsJson,
    delivery_id: record.deliveryId ?? null,
    prev_hash: link.prevHash,
    hash: link.hash,
  };
}

const text = (value: unknown) =>
  typeof value === 'string' ? value : undefined;
const number = (value: unknown) =>
  typeof value === 'number' ? value : undefined;

function abandonedClaimOf(details: JsonObject): AbandonedClaim | undefined {
  const value = details.abandonedClaim;
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return undefined;
  }
  const { actor, githubLogin, startedAt } = value;
  if (typeof actor !== 'string' || typeof startedAt !== 'string') {
    return undefined;
  }
  return withoutUndefined({ actor, githubLogin: text(githubLogin), startedAt });
}

function exceptionOf(stored: StoredRecord): GateException | undefined {
  const value = stored.details.exception;
  if (stored.action !== 'gate-exception' || !value || typeof value !== 'object')
    return undefined;
  const fields = value as Omit<GateException, 'by' | 'at' | 'auditId'>;
  return {
    ...fields,
    by: stored.actor,
    at: stored.at,
    auditId: stored.id,
  };
}

/** What the API shows: the record, with an approval record's fields lifted from its details. */
export function toAuditRecord(stored: StoredRecord): AuditRecord {
  const { details } = stored;
  return withoutUndefined({
    id: stored.id,
    at: stored.at,
    action: stored.action as AuditAction,
    actor: stored.actor,
    subject: stored.subject,
    details,
    entityRef: stored.entityRef,
    githubLogin: text(details.githubLogin),
    repository: text(details.repository),
    runId: number(details.runId),
    environment: text(details.environment),
    version: text(details.version),
    decision: text(details.decision) as ApprovalDecision | undefined,
    comment: text(details.comment),
    outcome: text(details.outcome) ?? '',
    upstreamStatus: number(details.upstreamStatus),
    mode: text(details.mode) as ApprovalMode | undefined,
    exception: exceptionOf(stored),
    abandonedClaim: abandonedClaimOf(details),
    prevHash: stored.prevHash,
    hash: stored.hash,
  });
}
