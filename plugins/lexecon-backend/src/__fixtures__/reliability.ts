import { Entity } from '@backstage/catalog-model';
import type { Sandbox } from '@internal/sandbox';
import { lexeconApiEntity } from './entities';

/** Unleash, Datadog and health config pointing at a running sandbox. */
export function reliabilityConfig(
  sandbox: Sandbox,
  overrides: { unleashToken?: string } = {},
) {
  return {
    unleash: {
      baseUrl: sandbox.unleashUrl,
      apiToken: overrides.unleashToken ?? sandbox.unleashToken,
    },
    datadog: {
      baseUrl: sandbox.datadogUrl,
      apiKey: sandbox.datadogApiKey,
      applicationKey: sandbox.datadogApplicationKey,
    },
    health: { allowedHosts: [new URL(sandbox.healthUrl).host] },
  };
}

/** The Lexecon API entity with its flags, SLO and health annotations for this sandbox. */
export function lexeconApiWithReliability(sandbox: Sandbox): Entity {
  return {
    ...lexeconApiEntity,
    metadata: {
      ...lexeconApiEntity.metadata,
      title: 'Lexecon API',
      annotations: {
        ...lexeconApiEntity.metadata.annotations,
        'lexecon.io/unleash-project': sandbox.unleashProject,
        'lexecon.io/datadog-slo-tags': 'service:lexecon,env:production',
        'lexecon.io/health-url': `${sandbox.healthUrl}/health`,
      },
    },
  };
}
