import type { SandboxService } from './portfolio';

/** A Backstage `Component` entity, as a catalog file declares it. */
export interface CatalogEntity {
  apiVersion: 'backstage.io/v1alpha1';
  kind: 'Component';
  metadata: {
    name: string;
    title: string;
    description: string;
    annotations: Record<string, string>;
    tags: string[];
  };
  spec: {
    type: 'service';
    lifecycle: 'production';
    owner: string;
    system: string;
  };
}

/**
 * The catalog entity of a served service, with the annotations the Lexecon plugins read, for a
 * sandbox whose health server is at `healthUrl` (e.g. `http://127.0.0.1:7104`).
 */
export function serviceEntity(
  service: SandboxService,
  healthUrl: string,
): CatalogEntity {
  const pairs = (values: Record<string, string>) =>
    service.environments.map(env => `${env}=${values[env]}`).join(',');
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: service.name,
      title: service.title,
      description: service.description,
      annotations: {
        'github.com/project-slug': `${service.owner}/${service.repo}`,
        'backstage.io/kubernetes-id': service.releaseName,
        'lexecon.io/helm-release': service.releaseName,
        'lexecon.io/environments': service.environments.join(','),
        'lexecon.io/deploy-workflows': pairs(service.deployWorkflows),
        'lexecon.io/kubernetes-namespaces': pairs(service.namespaces),
        'lexecon.io/unleash-project': service.unleashProject,
        'lexecon.io/datadog-slo-tags': `service:${service.datadogService},env:production`,
        'lexecon.io/health-url': `${healthUrl.replace(/\/+$/, '')}${
          service.healthPath
        }`,
        // The sandbox's Cost Explorer tags each service's resources `service=<name>`.
        'lexecon.io/aws-cost-tags': service.name,
        // Its billing export labels the same resources the same way.
        'lexecon.io/gcp-billing-labels': `service=${service.name}`,
      },
      tags: [...service.tags],
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/lexecon-engineering',
      system: 'lexecon',
    },
  };
}

export function serviceEntities(
  services: SandboxService[],
  healthUrl: string,
): CatalogEntity[] {
  return services.map(s => serviceEntity(s, healthUrl));
}

/** A plain scalar when YAML reads it back as the same string, else a JSON (double-quoted) one. */
function scalar(value: string): string {
  const plain =
    /^[A-Za-z][\w ./:,=@()-]*$/.test(value) &&
    !/: | #|:$/.test(value) &&
    !/^(true|false|yes|no|on|off|null)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}

/** A scalar inside a flow sequence (`[a, b]`), where commas and brackets end it. */
function flowScalar(value: string): string {
  return /[,[\]{}]/.test(value) ? JSON.stringify(value) : scalar(value);
}

function entityYaml(entity: CatalogEntity): string {
  const { metadata, spec } = entity;
  const lines = [
    `apiVersion: ${entity.apiVersion}`,
    `kind: ${entity.kind}`,
    'metadata:',
    `  name: ${scalar(metadata.name)}`,
    `  title: ${scalar(metadata.title)}`,
    `  description: ${scalar(metadata.description)}`,
    '  annotations:',
    ...Object.entries(metadata.annotations).map(
      ([key, value]) => `    ${key}: ${scalar(value)}`,
    ),
    `  tags: [${metadata.tags.map(flowScalar).join(', ')}]`,
    'spec:',
    ...Object.entries(spec).map(([key, value]) => `  ${key}: ${scalar(value)}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** The entities as a multi-document catalog file (`---` between entities). */
export function catalogYaml(entities: CatalogEntity[]): string {
  return entities.map(e => `---\n${entityYaml(e)}`).join('');
}
