import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { OnCallBoard, Reliability } from '@internal/plugin-lexecon-common';

/** Flags, SLA and health per entity, and the portal-wide on-call board. */
export interface ReliabilityApi {
  getReliability(entityRef: CompoundEntityRef): Promise<Reliability>;
  getOnCallBoard(): Promise<OnCallBoard>;
}

export const reliabilityApiRef = createApiRef<ReliabilityApi>({
  id: 'plugin.lexecon.reliability',
});

export class ReliabilityClient implements ReliabilityApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  getReliability(entityRef: CompoundEntityRef): Promise<Reliability> {
    const path = [
      entityRef.namespace,
      entityRef.kind.toLocaleLowerCase('en-US'),
      entityRef.name,
    ]
      .map(encodeURIComponent)
      .join('/');
    return this.get(`/v1/entities/${path}/reliability`);
  }

  getOnCallBoard(): Promise<OnCallBoard> {
    return this.get('/v1/oncall');
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('lexecon');
    const response = await this.options.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}
