import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  ApprovalsInbox,
  AuditPage,
  AuditVerification,
  Changelog,
  ChangePopulation,
  ChangePopulationCompleteness,
  CostDailyFactsQuery,
  CostAcknowledgementReason,
  CostAcknowledgementResult,
  CostPortfolio,
  DeliveryPortfolio,
  DeliveryQuery,
  DecisionResult,
  DeploymentRecord,
  DeploymentsOverview,
  DeploymentsPage,
  EntityCostAnalysis,
  EntityDelivery,
  EvidenceControlDetail,
  EvidenceControlsQuery,
  EvidenceControlsResponse,
  EvidenceSample,
  EvidenceSampleQuery,
  EvidenceSigningKeyView,
  PopulationKind,
  OnCallBoard,
  Overview,
  Reliability,
  Section,
  SourceState,
} from '@internal/plugin-lexecon-common';
import {
  DecisionRequest,
  DeploymentsQueryOptions,
  EvidenceWindow,
  LexeconApi,
} from '../api/LexeconApi';
import { notConfiguredCosts } from './costs';
import { notConfiguredDelivery } from './delivery';

/** Fixtures are relative to the real clock so relative times read naturally in tests. */
export const minutesAgo = (minutes: number) =>
  new Date(Date.now() - minutes * 60_000).toISOString();

export const entityRef: CompoundEntityRef = {
  kind: 'component',
  namespace: 'default',
  name: 'payments-api',
};

export const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: {
      'github.com/project-slug': 'acme/payments-api',
      'backstage.io/kubernetes-id': 'payments-api',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-payments' },
};

const REPO = 'https://github.com/acme/payments-api';
export const alice = {
  login: 'alice',
  name: 'Alice Andersen',
  avatarUrl: 'https://avatars.githubusercontent.com/u/1001',
  htmlUrl: 'https://github.com/alice',
};
const bob = {
  login: 'bob',
  name: 'Bob Berg',
  avatarUrl: 'https://avatars.githubusercontent.com/u/1002',
  htmlUrl: 'https://github.com/bob',
};
const carol = { login: 'carol', htmlUrl: 'https://github.com/carol' };

function run(
  environment: string,
  runId: number,
  record: Omit<DeploymentRecord, 'id' | 'environment' | 'runId' | 'runUrl'>,
): DeploymentRecord {
  return {
    id: `${environment}:run:${runId}`,
    environment,
    runId,
    runUrl: `${REPO}/actions/runs/${runId}`,
    ...record,
  };
}

/** Newest first, as the backend returns them. */
const handcrafted: DeploymentRecord[] = [
  run('staging', 9012, {
    sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    shortSha: 'a1b2c3d',
    tag: 'v1.8.0',
    version: 'v1.8.0',
    commitTitle: 'Add idempotency keys to refunds',
    triggeredBy: alice,
    startedAt: minutesAgo(16),
    finishedAt: minutesAgo(12),
    durationSeconds: 252,
    result: 'success',
    workflowName: 'Deploy to staging',
    helm: {
      revision: 57,
      status: 'deployed',
      description: 'Upgrade complete',
      namespace: 'payments-staging',
      appVersion: 'v1.8.0',
    },
    sources: ['github', 'kubernetes'],
  }),
  run('production', 9008, {
    sha: 'b2c3d4e5f60718293a4b5c6d7e8f901234567890',
    shortSha: 'b2c3d4e',
    tag: 'v1.7.2',
    version: 'v1.7.2',
    commitTitle: 'Fix currency rounding in settlement report',
    triggeredBy: alice,
    approval: {
      state: 'approved',
      user: bob,
      comment: 'CHG-1234 approved by CAB',
      at: minutesAgo(125),
    },
    startedAt: minutesAgo(124),
    finishedAt: minutesAgo(119),
    durationSeconds: 301,
    result: 'success',
    workflowName: 'Deploy to production',
    helm: {
      revision: 43,
      status: 'deployed',
      description: 'Upgrade complete',
      namespace: 'payments-production',
      appVersion: 'v1.7.2',
    },
    sources: ['github', 'kubernetes'],
  }),
  run('production', 9001, {
    sha: 'c3d4e5f60718293a4b5c6d7e8f90123456789012',
    shortSha: 'c3d4e5f',
    tag: 'v1.7.1',
    version: 'v1.7.1',
    commitTitle: 'Switch settlement job to new queue',
    triggeredBy: carol,
    approval: { state: 'approved', user: bob },
    startedAt: minutesAgo(26 * 60),
    finishedAt: minutesAgo(26 * 60 - 7),
    durationSeconds: 423,
    result: 'failed',
    rollback: {
      kind: 'automatic',
      toRevision: 41,
      toVersion: 'v1.7.0',
      at: minutesAgo(26 * 60 - 7),
    },
    workflowName: 'Deploy to production',
    helm: {
      revision: 42,
      status: 'failed',
      description:
        'Upgrade "payments-api" failed: timed out waiting for the condition',
      namespace: 'payments-production',
      appVersion: 'v1.7.1',
    },
    sources: ['github', 'kubernetes'],
  }),
  {
    id: 'production:helm:41',
    environment: 'production',
    sha: 'd4e5f60718293a4b5c6d7e8f9012345678901234',
    shortSha: 'd4e5f60',
    tag: 'v1.7.0',
    version: 'v1.7.0',
    startedAt: minutesAgo(3 * 24 * 60),
    result: 'success',
    rollback: { kind: 'manual', toRevision: 39, toVersion: 'v1.6.9' },
    helm: {
      revision: 41,
      status: 'superseded',
      description: 'Rollback to 39',
      namespace: 'payments-production',
      appVersion: 'v1.6.9',
      rollbackTo: 39,
    },
    sources: ['kubernetes'],
  },
  run('staging', 8990, {
    sha: 'e5f60718293a4b5c6d7e8f901234567890123456',
    shortSha: 'e5f6071',
    version: 'e5f6071',
    commitTitle: 'WIP: try new connection pool size',
    triggeredBy: carol,
    startedAt: minutesAgo(4 * 24 * 60),
    durationSeconds: 35,
    result: 'cancelled',
    workflowName: 'Deploy to staging',
    sources: ['github'],
  }),
];

/** Older, unremarkable deploys so the history is longer than one page. */
const older: DeploymentRecord[] = Array.from({ length: 25 }, (_, i) => {
  const environment = i % 2 === 0 ? 'staging' : 'production';
  const patch = 25 - i;
  const sha = `f${String(i).padStart(
    2,
    '0',
  )}0718293a4b5c6d7e8f90123456789012345678`;
  return run(environment, 8900 - i, {
    sha,
    shortSha: sha.slice(0, 7),
    tag: `v1.5.${patch}`,
    version: `v1.5.${patch}`,
    commitTitle: `Release v1.5.${patch}`,
    triggeredBy: alice,
    startedAt: minutesAgo((5 + i) * 24 * 60),
    durationSeconds: 240 + i,
    result: 'success',
    workflowName: `Deploy to ${environment}`,
    sources: ['github'],
  });
});

export const allDeployments: DeploymentRecord[] = [...handcrafted, ...older];

export const githubSource = (
  overrides: Partial<SourceState> = {},
): SourceState => ({
  source: 'github',
  status: 'ok',
  fetchedAt: minutesAgo(2),
  attemptedAt: minutesAgo(2),
  ...overrides,
});

export const kubernetesSource = (
  overrides: Partial<SourceState> = {},
): SourceState => ({
  source: 'kubernetes',
  status: 'ok',
  fetchedAt: minutesAgo(3),
  attemptedAt: minutesAgo(3),
  ...overrides,
});

export const deploymentsData: DeploymentsOverview = {
  repository: { slug: 'acme/payments-api', htmlUrl: REPO },
  environments: [
    {
      environment: 'staging',
      live: {
        version: 'v1.8.0',
        sha: handcrafted[0].sha,
        since: minutesAgo(12),
        result: 'success',
        deploymentId: 'staging:run:9012',
        helmRevision: 57,
        triggeredBy: alice,
      },
      htmlUrl: `${REPO}/deployments/staging`,
    },
    {
      environment: 'production',
      live: {
        version: 'v1.7.2',
        sha: handcrafted[1].sha,
        since: minutesAgo(119),
        result: 'success',
        deploymentId: 'production:run:9008',
        helmRevision: 43,
        triggeredBy: alice,
      },
      commitsBehind: 3,
      behindOf: 'staging',
      htmlUrl: `${REPO}/deployments/production`,
    },
  ],
  recent: allDeployments.slice(0, 25),
  totalCount: allDeployments.length,
};

export function deploymentsSection(
  overrides: Partial<Section<DeploymentsOverview>> = {},
): Section<DeploymentsOverview> {
  return {
    status: 'ok',
    fetchedAt: minutesAgo(3),
    sources: [githubSource(), kubernetesSource()],
    data: deploymentsData,
    ...overrides,
  };
}

export function overview(
  section: Section<DeploymentsOverview> = deploymentsSection(),
): Overview {
  return {
    entityRef: 'component:default/payments-api',
    sections: { deployments: section },
  };
}

export const changelogs: Record<string, Changelog> = {
  'production:run:9008': {
    deploymentId: 'production:run:9008',
    environment: 'production',
    base: {
      sha: handcrafted[2].sha,
      version: 'v1.7.1',
      deploymentId: 'production:run:9001',
    },
    head: { sha: handcrafted[1].sha, version: 'v1.7.2' },
    commits: [
      {
        sha: 'b2c3d4e5f60718293a4b5c6d7e8f901234567890',
        shortSha: 'b2c3d4e',
        title: 'Fix currency rounding in settlement report',
        author: alice,
        authoredAt: minutesAgo(180),
        htmlUrl: `${REPO}/commit/b2c3d4e5f60718293a4b5c6d7e8f901234567890`,
      },
      {
        sha: '1111111f60718293a4b5c6d7e8f901234567890',
        shortSha: '1111111',
        title: 'Bump grpc to 1.62.1',
        author: { login: 'dependabot[bot]' },
        authoredAt: minutesAgo(300),
        htmlUrl: `${REPO}/commit/1111111f60718293a4b5c6d7e8f901234567890`,
      },
    ],
    totalCommits: 2,
    compareUrl: `${REPO}/compare/v1.7.1...v1.7.2`,
    fetchedAt: minutesAgo(1),
  },
};

/**
 * An in-memory backend: filters and pages the fixture history the way the real API does, so
 * components can be exercised end to end without network.
 */
function notConfiguredReliability(ref: CompoundEntityRef): Reliability {
  const notConfigured = (source: 'unleash' | 'datadog' | 'health') => ({
    status: 'not-configured' as const,
    message: `No ${source} annotation`,
    sources: [{ source, status: 'not-configured' as const }],
  });
  return {
    entityRef: `${ref.kind}:${ref.namespace}/${ref.name}`,
    sections: {
      flags: notConfigured('unleash'),
      sla: notConfigured('datadog'),
      health: notConfigured('health'),
    },
  };
}

export class FakeLexeconApi implements LexeconApi {
  constructor(
    private readonly options: {
      overview?: Overview | Error;
      deployments?: DeploymentRecord[] | Error;
      changelogs?: Record<string, Changelog | Error>;
      /** Without it, the entity has no flags, SLA or health source. */
      reliability?: Reliability | Error;
      onCall?: OnCallBoard | Error;
      /** Without it, the entity has no cost source. */
      costAnalysis?: EntityCostAnalysis | Error;
      costPortfolio?: CostPortfolio | Error;
      acknowledgement?: CostAcknowledgementResult | Error;
      dailyFactsCsv?: string;
      /** Without it, the entity has no deploy source. */
      delivery?: EntityDelivery | Error;
      deliveryPortfolio?: DeliveryPortfolio | Error;
      deliveryCsv?: string;
      evidenceControls?: EvidenceControlsResponse | Error;
      /** By control id. */
      evidenceControl?: Record<string, EvidenceControlDetail | Error>;
      evidenceSample?: EvidenceSample | Error;
      signingKey?: EvidenceSigningKeyView | Error;
      /** The package's bytes (a zip in the app; any text in a test). */
      evidencePackage?: string | Error;
      changePopulation?: ChangePopulation | Error;
      /** The CSV's text (the backend's formatting; any text in a test). */
      changePopulationCsv?: string | Error;
      changePopulationCompleteness?: ChangePopulationCompleteness | Error;
    } = {},
  ) {}

  /** The window of every change population request, with what was asked for. */
  readonly populationQueries: Array<
    EvidenceWindow & { what: 'json' | 'csv' | 'completeness' }
  > = [];

  async getChangePopulation(query: EvidenceWindow): Promise<ChangePopulation> {
    this.populationQueries.push({ ...query, what: 'json' });
    return orThrow(this.options.changePopulation, 'change population');
  }

  async getChangePopulationCsv(query: EvidenceWindow): Promise<Blob> {
    this.populationQueries.push({ ...query, what: 'csv' });
    const text = orThrow(
      this.options.changePopulationCsv,
      'change population CSV',
    );
    return new Blob([text], { type: 'text/csv' });
  }

  async getChangePopulationCompleteness(
    query: EvidenceWindow,
  ): Promise<ChangePopulationCompleteness> {
    this.populationQueries.push({ ...query, what: 'completeness' });
    return orThrow(
      this.options.changePopulationCompleteness,
      'change population completeness',
    );
  }

  /** The filters of every evidence request, in order. */
  readonly evidenceQueries: Array<Partial<EvidenceControlsQuery>> = [];

  async getEvidenceControls(
    query: Partial<EvidenceControlsQuery> = {},
  ): Promise<EvidenceControlsResponse> {
    this.evidenceQueries.push(query);
    // Without it, the catalog is empty (the tab's other tests need no evidence).
    return orThrow(
      this.options.evidenceControls ?? {
        generatedAt: '2026-03-31T10:00:00.000Z',
        from: '2025-12-31T10:00:00.000Z',
        to: '2026-03-31T10:00:00.000Z',
        canWrite: false,
        summary: { soc2: {}, gdpr: {} },
        controls: [],
        dueNext: [],
      },
      'evidence controls',
    );
  }

  async getEvidenceControl(
    id: string,
    query: Partial<EvidenceControlsQuery> = {},
  ): Promise<EvidenceControlDetail> {
    this.evidenceQueries.push(query);
    return orThrow(this.options.evidenceControl?.[id], `control ${id}`);
  }

  /** Each sample asked for, with its population. */
  readonly sampleQueries: Array<{ kind: string } & EvidenceSampleQuery> = [];
  /** The parameters of each package download. */
  readonly packageQueries: Array<{ from?: string; to?: string }> = [];

  async getEvidenceSample(
    kind: PopulationKind,
    query: EvidenceSampleQuery,
  ): Promise<EvidenceSample> {
    this.sampleQueries.push({ kind, ...query });
    return orThrow(this.options.evidenceSample, 'evidence sample');
  }

  async getEvidenceSigningKey(): Promise<EvidenceSigningKeyView> {
    // Without it, a key the page can show (the evidence page's other tests need no key).
    return orThrow(
      this.options.signingKey ?? {
        algorithm: 'Ed25519',
        publicKeyPem:
          '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n',
        fingerprint: '0f'.repeat(32),
      },
      'signing key',
    );
  }

  async getEvidencePackage(query: {
    from?: string;
    to?: string;
  }): Promise<Blob> {
    this.packageQueries.push(query);
    const bytes = orThrow(this.options.evidencePackage, 'evidence package');
    return new Blob([bytes], { type: 'application/zip' });
  }

  /** The filters each daily facts download asked for. */
  readonly dailyFactsQueries: CostDailyFactsQuery[] = [];

  async getCostPortfolio(): Promise<CostPortfolio> {
    const value = this.options.costPortfolio;
    if (!value) throw new Error('No cost portfolio in this test');
    if (value instanceof Error) throw value;
    return value;
  }

  async getCostDailyFactsCsv(query: CostDailyFactsQuery = {}): Promise<Blob> {
    this.dailyFactsQueries.push(query);
    return new Blob([this.options.dailyFactsCsv ?? ''], { type: 'text/csv' });
  }

  /** The queries of every delivery request, in order. */
  readonly deliveryQueries: Array<Partial<DeliveryQuery>> = [];

  async getDelivery(
    _entityRef: CompoundEntityRef,
    query: Partial<DeliveryQuery> = {},
  ): Promise<EntityDelivery> {
    this.deliveryQueries.push(query);
    return orThrow(this.options.delivery ?? notConfiguredDelivery, 'delivery');
  }

  async getDeliveryPortfolio(
    query: Partial<DeliveryQuery> = {},
  ): Promise<DeliveryPortfolio> {
    this.deliveryQueries.push(query);
    return orThrow(this.options.deliveryPortfolio, 'delivery portfolio');
  }

  async getDeliveryPortfolioCsv(
    query: Partial<DeliveryQuery> = {},
  ): Promise<Blob> {
    this.deliveryQueries.push(query);
    return new Blob([this.options.deliveryCsv ?? ''], { type: 'text/csv' });
  }

  /** The acknowledgements sent, in order. */
  readonly acknowledgements: Array<{
    anomalyId: string;
    reason: CostAcknowledgementReason;
    comment?: string;
  }> = [];

  async acknowledgeCostAnomaly(
    _ref: CompoundEntityRef,
    anomalyId: string,
    body: { reason: CostAcknowledgementReason; comment?: string },
  ): Promise<CostAcknowledgementResult> {
    const answer = this.options.acknowledgement;
    if (answer instanceof Error) throw answer;
    this.acknowledgements.push({ anomalyId, ...body });
    return (
      answer ?? {
        acknowledgement: {
          anomalyId,
          ...body,
          by: 'user:default/alex-kim',
          at: '2026-11-20T15:00:00.000Z',
        },
        forwarding: { to: 'none' },
      }
    );
  }

  async getCostAnalysis(): Promise<EntityCostAnalysis> {
    const value = this.options.costAnalysis ?? notConfiguredCosts;
    if (value instanceof Error) throw value;
    return value;
  }

  async getReliability(ref: CompoundEntityRef): Promise<Reliability> {
    const value = this.options.reliability ?? notConfiguredReliability(ref);
    if (value instanceof Error) throw value;
    return value;
  }

  async getOnCallBoard(): Promise<OnCallBoard> {
    const value = this.options.onCall;
    if (!value) throw new Error('No on-call board in this test');
    if (value instanceof Error) throw value;
    return value;
  }

  async getOverview(): Promise<Overview> {
    const value = this.options.overview ?? overview();
    if (value instanceof Error) throw value;
    return value;
  }

  async getDeployments(
    ref: CompoundEntityRef,
    query: DeploymentsQueryOptions = {},
  ): Promise<DeploymentsPage> {
    const all = this.options.deployments ?? allDeployments;
    if (all instanceof Error) throw all;
    const matching = all.filter(
      d =>
        (!query.environment || d.environment === query.environment) &&
        (!query.result || d.result === query.result),
    );
    const limit = query.limit ?? 25;
    const offset = query.cursor
      ? Number(query.cursor.replace('offset-', ''))
      : 0;
    const items = matching.slice(offset, offset + limit);
    const next = offset + limit;
    return {
      entityRef: `${ref.kind}:${ref.namespace}/${ref.name}`,
      section: { status: 'ok', sources: [githubSource(), kubernetesSource()] },
      items,
      totalCount: matching.length,
      nextCursor: next < matching.length ? `offset-${next}` : undefined,
    };
  }

  async getChangelog(
    _ref: CompoundEntityRef,
    deploymentId: string,
  ): Promise<Changelog> {
    const value = (this.options.changelogs ?? changelogs)[deploymentId];
    if (!value) throw new Error(`No changelog for ${deploymentId}`);
    if (value instanceof Error) throw value;
    return value;
  }

  async refresh(): Promise<{ status: string }> {
    return { status: 'queued' };
  }

  async getApprovalsInbox(): Promise<ApprovalsInbox> {
    return { items: [], sources: [], generatedAt: minutesAgo(0) };
  }

  async getEntityApprovals(_ref: CompoundEntityRef): Promise<ApprovalsInbox> {
    return this.getApprovalsInbox();
  }

  async decide(_request: DecisionRequest): Promise<DecisionResult> {
    throw new Error('Nothing is waiting for approval');
  }

  async getAudit(): Promise<AuditPage> {
    return { items: [] };
  }

  async verifyAudit(): Promise<AuditVerification> {
    return { ok: true, checked: 0 };
  }
}

function orThrow<T>(value: T | Error | undefined, what: string): T {
  if (value === undefined) throw new Error(`No ${what} in this test`);
  if (value instanceof Error) throw value;
  return value;
}
