import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  Changelog,
  DeploymentResult,
  DeploymentsPage,
  Overview,
} from '@internal/plugin-lexecon-common';

/** Filters and paging for the deploy history. */
export interface DeploymentsQueryOptions {
  environment?: string;
  result?: DeploymentResult;
  limit?: number;
  cursor?: string;
}

/** Client for the Lexecon backend's Release & Compliance API. */
export interface LexeconApi {
  getOverview(entityRef: CompoundEntityRef): Promise<Overview>;
  getDeployments(
    entityRef: CompoundEntityRef,
    query?: DeploymentsQueryOptions,
  ): Promise<DeploymentsPage>;
  getChangelog(
    entityRef: CompoundEntityRef,
    deploymentId: string,
  ): Promise<Changelog>;
  refresh(entityRef: CompoundEntityRef): Promise<{ status: string }>;
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

  getDeployments(
    entityRef: CompoundEntityRef,
    query: DeploymentsQueryOptions = {},
  ): Promise<DeploymentsPage> {
    const params = new URLSearchParams();
    if (query.environment) params.set('environment', query.environment);
    if (query.result) params.set('result', query.result);
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.cursor) params.set('cursor', query.cursor);
    const search = params.toString();
    return this.request<DeploymentsPage>(
      entityRef,
      `/deployments${search ? `?${search}` : ''}`,
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

  private async request<T>(
    entityRef: CompoundEntityRef,
    path: string,
    init?: RequestInit,
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('lexecon');
    const entityPath = [
      entityRef.namespace,
      entityRef.kind.toLocaleLowerCase('en-US'),
      entityRef.name,
    ]
      .map(encodeURIComponent)
      .join('/');
    const response = await this.fetchApi.fetch(
      `${baseUrl}/v1/entities/${entityPath}${path}`,
      init,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
