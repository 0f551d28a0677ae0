import { z } from 'zod';
import { toCsv } from './costPortfolio';
import {
  Control,
  EVIDENCE_STATUSES,
  EvidenceItem,
  EvidenceStatus,
  FRAMEWORKS,
  Framework,
} from './evidence';

const instant = z
  .string()
  .max(40)
  .refine(v => !Number.isNaN(Date.parse(v)), 'is not an ISO 8601 date');

const window = {
  from: instant.optional(),
  to: instant.optional(),
};

const fromBeforeTo = (q: { from?: string; to?: string }) =>
  !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to);

/** `GET /v1/evidence/controls`'s filters; the window defaults to the 90 days before now. */
export const evidenceControlsQuerySchema = z
  .object({
    framework: z.enum(FRAMEWORKS as [Framework, ...Framework[]]).optional(),
    status: z
      .enum(EVIDENCE_STATUSES as [EvidenceStatus, ...EvidenceStatus[]])
      .optional(),
    control: z.string().min(1).max(100).optional(),
    service: z
      .string()
      .max(600)
      .regex(
        /^[a-z]+:[^/]+\/.+$/i,
        'is not an entity ref such as component:default/lexecon-api',
      )
      .optional(),
    ...window,
  })
  .strict()
  .refine(fromBeforeTo, { message: 'must be before to', path: ['from'] });
export type EvidenceControlsQuery = z.infer<typeof evidenceControlsQuerySchema>;

/** `GET /v1/evidence/populations/changes`'s parameters. */
export const changePopulationQuerySchema = z
  .object({ ...window, format: z.enum(['json', 'csv']).default('json') })
  .strict()
  .refine(fromBeforeTo, { message: 'must be before to', path: ['from'] });
export type ChangePopulationQuery = z.infer<typeof changePopulationQuerySchema>;

/** One observation as the auditor's view shows it. */
export interface EvidenceObservationView {
  entityRef?: string;
  status: EvidenceStatus;
  reason: string;
  firstCollected: string;
  collected: string;
  expires: string;
  sourceUrl?: string;
  facts: Record<string, unknown>;
}

/** An item's status at the window's end, over every service it was observed for. */
export interface EvidenceItemView extends EvidenceItem {
  status: EvidenceStatus;
  reason: string;
  /** The newest observation judged (the worst service's), with its dates and link. */
  latest?: EvidenceObservationView;
  /** Each service's own status, when it is observed per service. */
  services: Array<{
    entityRef?: string;
    status: EvidenceStatus;
    reason: string;
  }>;
}

export interface EvidenceControlView extends Omit<Control, 'items'> {
  status: EvidenceStatus;
  items: EvidenceItemView[];
}

export interface EvidenceControlsResponse {
  generatedAt: string;
  from: string;
  to: string;
  /** Whether the caller may change evidence (an owner): the view then shows what is due next. */
  canWrite: boolean;
  /** Controls by status for each framework (before the status filter). */
  summary: Record<Framework, Partial<Record<EvidenceStatus, number>>>;
  controls: EvidenceControlView[];
  /**
   * Items that need someone (failing, overdue, missing and due soon): the caller's own first
   * (owned by them or a group they belong to), each part soonest first.
   */
  dueNext: Array<
    Pick<
      EvidenceItemView,
      'id' | 'controlId' | 'title' | 'owner' | 'status' | 'reason'
    > & {
      expires?: string;
      /** Owned by the caller or one of their groups. */
      yours: boolean;
    }
  >;
}

export interface EvidenceControlDetail {
  generatedAt: string;
  from: string;
  to: string;
  control: EvidenceControlView;
  /** Every observation of the control's items whose verdict held in the window, newest first. */
  observations: Array<EvidenceObservationView & { itemId: string }>;
}

/** One production deploy of the change population (CC8.1). */
export interface ChangePopulationRow {
  entityRef: string;
  deployId: string;
  runId?: number;
  version: string;
  sha: string;
  startedAt: string;
  finishedAt?: string;
  result: string;
  runUrl?: string;
  triggeredBy?: string;
  approver?: string;
  approvedAt?: string;
  approvalTimeSource?: 'portal-audit' | 'github-job-start';
  approvedBeforeDeploy: boolean | null;
  /** Null when the change's authors are not all known: `authorsUnknown` says why. */
  approverNotAuthor: boolean | null;
  /**
   * Where the authors came from: the change set the portal read while the run waited (commit
   * authors, committers, co-authors, pull-request authors and mergers), or the deploy's change
   * set read afterwards from GitHub's compare (commit authors, committers and co-authors).
   */
  authorsSource?: 'waiting-run' | 'deploy-change-set';
  /** Why the authors are unknown, so the approver cannot be checked against them. */
  authorsUnknown?: string;
  commitCount?: number;
  ciConclusion?: string;
  readinessScore?: number;
  readinessGate?: number;
  exceptions: string[];
}

export interface ChangePopulation {
  generatedAt: string;
  /** How the rows were selected, in words an auditor can re-run against the source. */
  query: string;
  parameters: { from: string; to: string; services: string[] };
  rowCount: number;
  exceptionCount: number;
  rows: ChangePopulationRow[];
}

export const CHANGE_POPULATION_CSV_COLUMNS = [
  'service',
  'deploy_id',
  'run_id',
  'version',
  'sha',
  'started_at',
  'finished_at',
  'result',
  'triggered_by',
  'approver',
  'approved_at',
  'approval_time_source',
  'approved_before_deploy',
  'approver_not_author',
  'authors_source',
  'authors_unknown',
  'commit_count',
  'ci_result',
  'readiness_score',
  'readiness_gate',
  'exception',
  'exceptions',
  'run_url',
] as const;

function yesNo(value: boolean | null) {
  if (value === null) return 'unknown';
  return value ? 'yes' : 'no';
}

/** The population as CSV (RFC 4180, formula-guarded), one row a deploy in population order. */
export function changePopulationCsv(rows: readonly ChangePopulationRow[]) {
  return toCsv(
    CHANGE_POPULATION_CSV_COLUMNS,
    rows.map(r => [
      r.entityRef,
      r.deployId,
      r.runId,
      r.version,
      r.sha,
      r.startedAt,
      r.finishedAt,
      r.result,
      r.triggeredBy,
      r.approver,
      r.approvedAt,
      r.approvalTimeSource,
      yesNo(r.approvedBeforeDeploy),
      yesNo(r.approverNotAuthor),
      r.authorsSource,
      r.authorsUnknown,
      r.commitCount,
      r.ciConclusion,
      r.readinessScore,
      r.readinessGate,
      r.exceptions.length ? 'yes' : 'no',
      r.exceptions.join('; '),
      r.runUrl,
    ]),
  );
}
