import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ApprovalsInbox,
  AuditPage,
  AuditVerification,
  Changelog,
  ChangePopulation,
  ChangePopulationCompleteness,
  DecisionBody,
  DecisionResult,
  DeploymentResult,
  DeploymentsPage,
  CostAcknowledgementReason,
  CostAcknowledgementResult,
  CostDailyFactsQuery,
  CostPortfolio,
  DeliveryPortfolio,
  DeliveryQuery,
  EntityCostAnalysis,
  EntityDelivery,
  EvidenceControlDetail,
  EvidenceControlsQuery,
  EvidenceControlsResponse,
  EvidenceSample,
  EvidenceSampleQuery,
  EvidenceSigningKeyView,
  PopulationKind,
  GITHUB_TOKEN_HEADER,
  OnCallBoard,
  Overview,
  Reliability,
} from '@internal/plugin-lexecon-common';

/** Filters and paging for the deploy history. */
export interface DeploymentsQueryOptions {
  environment?: string;
  result?: DeploymentResult;
  limit?: number;
  cursor?: string;
}

/** The one client of the Lexecon backend: entity sections, approvals, audit and the on-call board. */
export interface LexeconApi {
  /**
   * Every section's status with the deploy history's data. The backend's entity routes share one
   * shape (`EntitySections`); this and `getReliability` are it with a fixed `include`.
   */
  getOverview(entityRef: CompoundEntityRef): Promise<Overview>;
  /** The flags, SLA and health sections of one entity, with their data. */
  getReliability(entityRef: CompoundEntityRef): Promise<Reliability>;
  /** Every service the user may read, ordered by risk, with incidents and recent changes. */
  getOnCallBoard(): Promise<OnCallBoard>;
  /** The Cost card: the analysis of the entity's stored daily costs (never read upstream). */
  getCostAnalysis(entityRef: CompoundEntityRef): Promise<EntityCostAnalysis>;
  /** Says why a cost anomaly needs no action; forwarded to AWS when AWS reported it. */
  acknowledgeCostAnomaly(
    entityRef: CompoundEntityRef,
    anomalyId: string,
    body: { reason: CostAcknowledgementReason; comment?: string },
  ): Promise<CostAcknowledgementResult>;
  /** Every readable service's month against its baseline, highest first, with its anomalies. */
  getCostPortfolio(): Promise<CostPortfolio>;
  /** The readable services' stored daily costs as CSV. */
  getCostDailyFactsCsv(query?: CostDailyFactsQuery): Promise<Blob>;
  /** The Delivery card: the four DORA keys and CI health from stored snapshots. */
  getDelivery(
    entityRef: CompoundEntityRef,
    query?: Partial<DeliveryQuery>,
  ): Promise<EntityDelivery>;
  /** Every readable service's four keys, best delivery first. */
  getDeliveryPortfolio(
    query?: Partial<DeliveryQuery>,
  ): Promise<DeliveryPortfolio>;
  /** The delivery portfolio as CSV. */
  getDeliveryPortfolioCsv(query?: Partial<DeliveryQuery>): Promise<Blob>;
  getDeployments(
    entityRef: CompoundEntityRef,
    query?: DeploymentsQueryOptions,
  ): Promise<DeploymentsPage>;
  getChangelog(
    entityRef: CompoundEntityRef,
    deploymentId: string,
  ): Promise<Changelog>;
  refresh(entityRef: CompoundEntityRef): Promise<{ status: string }>;
  /** Every run waiting for approval on an entity the user may read. */
  getApprovalsInbox(): Promise<ApprovalsInbox>;
  /** The runs of one entity waiting for approval. */
  getEntityApprovals(entityRef: CompoundEntityRef): Promise<ApprovalsInbox>;
  /**
   * Approves or rejects a waiting run. `githubToken` (the signed-in user's GitHub token, needed
   * in `github-reviewers` mode) is sent in this one request's header only.
   */
  decide(request: DecisionRequest): Promise<DecisionResult>;
  getAudit(query?: AuditQueryOptions): Promise<AuditPage>;
  verifyAudit(): Promise<AuditVerification>;
  /** The change population (CC8.1) of a window: every production deploy with its exceptions. */
  getChangePopulation(query: EvidenceWindow): Promise<ChangePopulation>;
  /** The change population as the backend's CSV (its columns and row formatting). */
  getChangePopulationCsv(query: EvidenceWindow): Promise<Blob>;
  /** The change population against GitHub's own list of production deployments. */
  getChangePopulationCompleteness(
    query: EvidenceWindow,
  ): Promise<ChangePopulationCompleteness>;
  /** The SOC 2 / GDPR controls with their status at the window's end (`lexecon.evidence.read`). */
  getEvidenceControls(
    query?: Partial<EvidenceControlsQuery>,
  ): Promise<EvidenceControlsResponse>;
  /** One control with its items and every observation of them in the window. */
  getEvidenceControl(
    id: string,
    query?: Partial<EvidenceControlsQuery>,
  ): Promise<EvidenceControlDetail>;
  /** A seeded sample of a population; the seed is random when not given and always returned. */
  getEvidenceSample(
    kind: PopulationKind,
    query: EvidenceSampleQuery,
  ): Promise<EvidenceSample>;
  /** The public half of the key evidence packages are signed with. */
  getEvidenceSigningKey(): Promise<EvidenceSigningKeyView>;
  /** The signed evidence package (a BagIt zip) of a window; the backend audits each one. */
  getEvidencePackage(query: {
    from?: string;
    to?: string;
    seed?: string;
  }): Promise<Blob>;
}

/** A window of the evidence routes (ISO instants; the 90 days before now by default). */
export interface EvidenceWindow {
  from?: string;
  to?: string;
}

/** One approve/reject decision on a waiting run. */
export interface DecisionRequest {
  entityRef: CompoundEntityRef;
  runId: number;
  environment: string;
  body: DecisionBody;
  githubToken?: string;
}

/** Filters and paging for the approvals audit trail. */
export interface AuditQueryOptions {
  entityRef?: string;
  /** ISO 8601. */
  from?: string;
  /** ISO 8601. */
  to?: string;
  limit?: number;
  cursor?: string;
}

function toSearch(params: Record<string, string | number | undefined>) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

function entityPath(entityRef: CompoundEntityRef): string {
  return [
    entityRef.namespace,
    entityRef.kind.toLocaleLowerCase('en-US'),
    entityRef.name,
  ]
    .map(encodeURIComponent)
    .join('/');
}

export const lexeconApiRef = createApiRef<LexeconApi>({
  id: 'plugin.lexecon.service',
});

/** Talks to the `lexecon` backend through `fetchApi`, so the user's Backstage token is attached. */
export class LexeconClient implements LexeconApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getOverview(entityRef: CompoundEntityRef): Promise<Overview> {
    return this.request<Overview>(entityRef, '/overview');
  }

  getReliability(entityRef: CompoundEntityRef): Promise<Reliability> {
    return this.request<Reliability>(entityRef, '/reliability');
  }

  getOnCallBoard(): Promise<OnCallBoard> {
    return this.fetchJson<OnCallBoard>('/v1/oncall');
  }

  getCostAnalysis(entityRef: CompoundEntityRef): Promise<EntityCostAnalysis> {
    return this.request<EntityCostAnalysis>(entityRef, '/cost-analysis');
  }

  acknowledgeCostAnomaly(
    entityRef: CompoundEntityRef,
    anomalyId: string,
    body: { reason: CostAcknowledgementReason; comment?: string },
  ): Promise<CostAcknowledgementResult> {
    return this.request<CostAcknowledgementResult>(
      entityRef,
      `/cost-anomalies/${encodeURIComponent(anomalyId)}/acknowledgement`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      },
    );
  }

  getCostPortfolio(): Promise<CostPortfolio> {
    return this.fetchJson<CostPortfolio>('/v1/costs/portfolio');
  }

  async getCostDailyFactsCsv(query: CostDailyFactsQuery = {}): Promise<Blob> {
    const response = await this.fetchOk(
      `/v1/costs/daily-facts.csv${toSearch({ ...query })}`,
    );
    return response.blob();
  }

  getDelivery(
    entityRef: CompoundEntityRef,
    query: Partial<DeliveryQuery> = {},
  ): Promise<EntityDelivery> {
    return this.request<EntityDelivery>(
      entityRef,
      `/delivery${toSearch({ ...query })}`,
    );
  }

  getDeliveryPortfolio(
    query: Partial<DeliveryQuery> = {},
  ): Promise<DeliveryPortfolio> {
    return this.fetchJson<DeliveryPortfolio>(
      `/v1/delivery/portfolio${toSearch({ ...query })}`,
    );
  }

  async getDeliveryPortfolioCsv(
    query: Partial<DeliveryQuery> = {},
  ): Promise<Blob> {
    const response = await this.fetchOk(
      `/v1/delivery/portfolio.csv${toSearch({ ...query })}`,
    );
    return response.blob();
  }

  getDeployments(
    entityRef: CompoundEntityRef,
    query: DeploymentsQueryOptions = {},
  ): Promise<DeploymentsPage> {
    return this.request<DeploymentsPage>(
      entityRef,
      `/deployments${toSearch({
        environment: query.environment,
        result: query.result,
        limit: query.limit,
        cursor: query.cursor,
      })}`,
    );
  }

  getChangelog(
    entityRef: CompoundEntityRef,
    deploymentId: string,
  ): Promise<Changelog> {
    return this.request<Changelog>(
      entityRef,
      `/deployments/${encodeURIComponent(deploymentId)}/changelog`,
    );
  }

  refresh(entityRef: CompoundEntityRef): Promise<{ status: string }> {
    return this.request<{ status: string }>(entityRef, '/refresh', {
      method: 'POST',
    });
  }

  getApprovalsInbox(): Promise<ApprovalsInbox> {
    return this.fetchJson<ApprovalsInbox>('/v1/approvals');
  }

  getEntityApprovals(entityRef: CompoundEntityRef): Promise<ApprovalsInbox> {
    return this.request<ApprovalsInbox>(entityRef, '/approvals');
  }

  decide(request: DecisionRequest): Promise<DecisionResult> {
    const { entityRef, runId, environment, body, githubToken } = request;
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
    };
    if (githubToken) headers[GITHUB_TOKEN_HEADER] = githubToken;
    return this.request<DecisionResult>(
      entityRef,
      `/approvals/${encodeURIComponent(String(runId))}/${encodeURIComponent(
        environment,
      )}`,
      { method: 'POST', headers, body: JSON.stringify(body) },
    );
  }

  getAudit(query: AuditQueryOptions = {}): Promise<AuditPage> {
    return this.fetchJson<AuditPage>(
      `/v1/audit${toSearch({
        entityRef: query.entityRef,
        from: query.from,
        to: query.to,
        limit: query.limit,
        cursor: query.cursor,
      })}`,
    );
  }

  verifyAudit(): Promise<AuditVerification> {
    return this.fetchJson<AuditVerification>('/v1/audit/verify');
  }

  getChangePopulation(query: EvidenceWindow): Promise<ChangePopulation> {
    return this.fetchJson<ChangePopulation>(
      `/v1/evidence/populations/changes${toSearch({
        from: query.from,
        to: query.to,
      })}`,
    );
  }

  async getChangePopulationCsv(query: EvidenceWindow): Promise<Blob> {
    const response = await this.fetchOk(
      `/v1/evidence/populations/changes${toSearch({
        from: query.from,
        to: query.to,
        format: 'csv',
      })}`,
    );
    return response.blob();
  }

  getChangePopulationCompleteness(
    query: EvidenceWindow,
  ): Promise<ChangePopulationCompleteness> {
    return this.fetchJson<ChangePopulationCompleteness>(
      `/v1/evidence/populations/changes/completeness${toSearch({
        from: query.from,
        to: query.to,
      })}`,
    );
  }

  getEvidenceControls(
    query: Partial<EvidenceControlsQuery> = {},
  ): Promise<EvidenceControlsResponse> {
    return this.fetchJson<EvidenceControlsResponse>(
      `/v1/evidence/controls${toSearch({ ...query })}`,
    );
  }

  getEvidenceControl(
    id: string,
    query: Partial<EvidenceControlsQuery> = {},
  ): Promise<EvidenceControlDetail> {
    return this.fetchJson<EvidenceControlDetail>(
      `/v1/evidence/controls/${encodeURIComponent(id)}${toSearch({
        ...query,
      })}`,
    );
  }

  getEvidenceSample(
    kind: PopulationKind,
    query: EvidenceSampleQuery,
  ): Promise<EvidenceSample> {
    return this.fetchJson<EvidenceSample>(
      `/v1/evidence/populations/${kind}/sample${toSearch({ ...query })}`,
    );
  }

  getEvidenceSigningKey(): Promise<EvidenceSigningKeyView> {
    return this.fetchJson<EvidenceSigningKeyView>('/v1/evidence/signing-key');
  }

  async getEvidencePackage(query: {
    from?: string;
    to?: string;
    seed?: string;
  }): Promise<Blob> {
    const response = await this.fetchOk(
      `/v1/evidence/package${toSearch({ ...query })}`,
    );
    return response.blob();
  }

  private request<T>(
    entityRef: CompoundEntityRef,
    path: string,
    init?: RequestInit,
  ): Promise<T> {
    return this.fetchJson<T>(
      `/v1/entities/${entityPath(entityRef)}${path}`,
      init,
    );
  }

  private async fetchJson<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await this.fetchOk(path, init);
    return (await response.json()) as T;
  }

  private async fetchOk(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('lexecon');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}
