import { buildObservability } from '../observability/seed';
import { buildServiceObservability } from '../observability/service';
import {
  DowntimeWindow,
  FlagEventRecord,
  IncidentRecord,
  MonitorRecord,
  ObservabilityData,
  ObservabilityWorld,
  SloRecord,
} from '../observability/types';
import { Prng } from '../random';
import { buildWorld } from '../world/build';
import { buildServiceWorld } from '../world/serviceWorld';
import { WORKFLOW_FILES } from '../world/skeleton';
import { NamespaceRecord, SandboxWorld } from '../world/types';
import { WorldWriter } from '../world/writer';
import {
  generatedServiceSpec,
  LEXECON_API,
  MAX_GENERATED_SERVICES,
  PORTFOLIO,
  SeededServiceSpec,
  ServiceSpec,
} from './services';

/** A service as the sandbox serves it, with the names a catalog entity points at. */
export interface SandboxService {
  /** The catalog entity name, e.g. `decision-ledger`. */
  name: string;
  title: string;
  description: string;
  tags: string[];
  owner: string;
  repo: string;
  releaseName: string;
  namespaces: { staging: string; production: string };
  environments: string[];
  /** Workflow file per environment. */
  deployWorkflows: Record<string, string>;
  unleashProject: string;
  /** The Datadog `service` tag of its SLO, monitors and incidents. */
  datadogService: string;
  /** e.g. `/decision-ledger/health`; `/health` for the Lexecon API. */
  healthPath: string;
  reliability: ServiceSpec['reliability'];
  generated: boolean;
  world: SandboxWorld;
  observability: ObservabilityData;
}

/** A served service and the writer its runtime changes (reviews, new runs) go through. */
export interface PortfolioService {
  service: SandboxService;
  writer: WorldWriter;
}

function sandboxService(
  spec: ServiceSpec,
  world: SandboxWorld,
  observability: ObservabilityData,
): SandboxService {
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    tags: spec.tags,
    owner: world.owner,
    repo: world.repo,
    releaseName: world.releaseName,
    namespaces: { ...world.namespaces },
    environments: world.environments.map(e => e.name),
    deployWorkflows: {
      staging: WORKFLOW_FILES.deployStaging,
      production: WORKFLOW_FILES.deployProduction,
    },
    unleashProject: spec.unleashProject,
    datadogService: spec.datadogService,
    healthPath: spec.healthPath,
    reliability: spec.reliability,
    generated: spec.generated,
    world,
    observability,
  };
}

function buildService(spec: SeededServiceSpec, now: Date): PortfolioService {
  const world = buildServiceWorld(spec.repo, spec.delivery, now);
  const observability = buildServiceObservability(spec.observability, world);
  const runtimeSeed = `runtime:${world.owner}/${world.repo}:${world.now}`;
  return {
    service: sandboxService(spec, world, observability),
    writer: new WorldWriter(world, new Prng(runtimeSeed)),
  };
}

/** The Lexecon API, with the story its world and observability are built around. */
function buildLexeconApi(now: Date) {
  const world = buildWorld(now);
  const observability = buildObservability(world);
  const service: PortfolioService = {
    service: sandboxService(LEXECON_API, world, observability),
    writer: new WorldWriter(world, new Prng(`runtime:${world.now}`)),
  };
  return { service, observability };
}

/**
 * The services the sandbox serves and what its fake upstreams look up in them: repositories by
 * name, namespaces, Unleash projects, health paths, and every service's SLOs, monitors,
 * incidents and flag events as one Datadog or Unleash account holds them.
 */
export class Portfolio {
  /** The Lexecon API first. */
  readonly services: PortfolioService[];
  /** The Lexecon API's observability, with its story's facts. */
  readonly lexeconObservability: ObservabilityWorld;
  readonly slos: SloRecord[];
  readonly downtime: Record<string, DowntimeWindow[]>;
  readonly monitors: MonitorRecord[];
  /** Oldest first. */
  readonly incidents: IncidentRecord[];
  /** Oldest first. */
  readonly flagEvents: FlagEventRecord[];
  private readonly repos = new Map<string, PortfolioService>();
  private readonly namespaceOwners = new Map<string, SandboxWorld>();
  private readonly projects = new Map<string, ObservabilityData>();
  private readonly healthPaths = new Map<string, ObservabilityData>();

  constructor(
    lexecon: { service: PortfolioService; observability: ObservabilityWorld },
    others: PortfolioService[],
  ) {
    const services = [lexecon.service, ...others];
    this.services = services;
    this.lexeconObservability = lexecon.observability;
    for (const s of services) {
      const { world, observability } = s.service;
      this.repos.set(`${world.owner}/${world.repo}`.toLowerCase(), s);
      for (const ns of world.kubeNamespaces) {
        this.namespaceOwners.set(ns.name, world);
      }
      this.projects.set(observability.unleashProject, observability);
      this.healthPaths.set(s.service.healthPath, observability);
    }
    const all = services.map(s => s.service.observability);
    numberIncidents(all);
    this.slos = all.flatMap(o => o.slos);
    this.downtime = Object.assign({}, ...all.map(o => o.downtime));
    this.monitors = all.flatMap(o => o.monitors);
    this.incidents = all
      .flatMap(o => o.incidents)
      .sort((a, b) => a.created - b.created);
    this.flagEvents = all
      .flatMap(o => o.flagEvents)
      .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  }

  /** The Lexecon API. */
  get primary(): PortfolioService {
    return this.services[0];
  }

  /** By `owner/repo`, ignoring case as GitHub does. */
  repo(owner: string, repo: string): PortfolioService | undefined {
    return this.repos.get(`${owner}/${repo}`.toLowerCase());
  }

  service(name: string): PortfolioService | undefined {
    return this.services.find(s => s.service.name === name);
  }

  /** The world whose cluster objects live in `namespace`. */
  namespaceOwner(namespace: string): SandboxWorld | undefined {
    return this.namespaceOwners.get(namespace);
  }

  /** Every namespace of the cluster, the Lexecon API's (and the system ones) first. */
  kubeNamespaces(): NamespaceRecord[] {
    return this.services.flatMap(s => s.service.world.kubeNamespaces);
  }

  /** The cluster's resourceVersion: the newest of any service's objects. */
  resourceVersion(): number {
    return Math.max(
      ...this.services.map(s => s.service.world.ids.resourceVersion),
    );
  }

  project(id: string): ObservabilityData | undefined {
    return this.projects.get(id);
  }

  /** The service whose health endpoint is at `path` (e.g. `/decision-ledger/health`). */
  health(path: string): ObservabilityData | undefined {
    return this.healthPaths.get(path);
  }
}

/**
 * Datadog numbers incidents account-wide. The Lexecon API's keep the numbers its story gave
 * them; the other services' follow, oldest first.
 */
function numberIncidents(all: ObservabilityData[]): void {
  const numbered = all.flatMap(o => o.incidents.filter(i => i.publicId > 0));
  let next = Math.max(0, ...numbered.map(i => i.publicId)) + 1;
  const rest = all
    .flatMap(o => o.incidents.filter(i => i.publicId === 0))
    .sort((a, b) => a.created - b.created);
  for (const incident of rest) incident.publicId = next++;
}

/** The portfolio (and with `services`, that many generated services) for a seed clock. */
export function buildPortfolio(
  now: Date,
  options: { services?: number } = {},
): Portfolio {
  const count = options.services ?? 0;
  if (!Number.isInteger(count) || count < 0 || count > MAX_GENERATED_SERVICES) {
    throw new Error(
      `services must be a whole number from 0 to ${MAX_GENERATED_SERVICES}, got ${count}`,
    );
  }
  const specs = [
    ...PORTFOLIO,
    ...Array.from({ length: count }, (_, i) => generatedServiceSpec(i + 1)),
  ];
  return new Portfolio(
    buildLexeconApi(now),
    specs.map(spec => buildService(spec, now)),
  );
}
