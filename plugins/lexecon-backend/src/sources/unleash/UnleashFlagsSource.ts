import {
  FeatureFlag,
  FeatureFlagsOverview,
  FlagChange,
  FlagEnvironmentState,
  FlagStrategy,
  LEXECON_UNLEASH_PROJECT_ANNOTATION,
} from '@internal/plugin-lexecon-common';
import { EntityTarget } from '../../EntityTarget';
import { UnleashConfig } from '../../reliabilityConfig';
import { errorDetail, JsonHttpClient } from '../http/JsonHttpClient';
import { mapLimited } from '../mapLimited';
import {
  annotationMissing,
  NotConfigured,
  SnapshotSource,
  UpstreamError,
} from '../types';

interface UnleashStrategy {
  name: string;
  parameters?: Record<string, string>;
  constraints?: Array<{
    contextName: string;
    operator: string;
    values?: string[];
  }>;
  disabled?: boolean | null;
}

interface UnleashFeatureSummary {
  name: string;
  type?: string;
  description?: string | null;
  stale?: boolean;
  createdAt?: string;
}

interface UnleashFeature extends UnleashFeatureSummary {
  environments: Array<{
    name: string;
    enabled: boolean;
    strategies?: UnleashStrategy[];
  }>;
}

interface UnleashEvent {
  id: number;
  type: string;
  createdAt: string;
  createdBy: string;
  environment?: string | null;
  featureName?: string | null;
  data?: UnleashStrategy | null;
  preData?: UnleashStrategy | null;
}

/** At most this many events per snapshot; the search API pages up to 1,000 per request. */
const MAX_EVENTS = 2000;
const EVENTS_PAGE = 1000;

/** Reads one Unleash project's flags (per environment, with strategies) and their change events. */
export class UnleashFlagsSource
  implements SnapshotSource<FeatureFlagsOverview>
{
  readonly id = 'unleash' as const;
  private readonly client?: JsonHttpClient;

  constructor(
    private readonly config: UnleashConfig | undefined,
    options: {
      timeoutMs: number;
      retries: number;
      now?: () => Date;
      fetch?: typeof fetch;
    },
  ) {
    this.now = options.now ?? (() => new Date());
    if (config) {
      this.client = new JsonHttpClient({
        source: 'unleash',
        label: 'Unleash',
        baseUrl: config.baseUrl,
        // Unleash takes the raw token, without "Bearer".
        headers: { Authorization: config.apiToken },
        timeoutMs: options.timeoutMs,
        retries: options.retries,
        fetch: options.fetch,
        describeStatus: describeUnleashStatus,
      });
    }
  }

  private readonly now: () => Date;

  notConfiguredReason(target: EntityTarget): NotConfigured | undefined {
    if (!target.unleash) return annotationMissing('unleash');
    if (!this.client) {
      return {
        message:
          'Unleash is not configured: set lexecon.unleash.baseUrl and lexecon.unleash.apiToken',
        missingAnnotations: [],
      };
    }
    return undefined;
  }

  async fetch(target: EntityTarget): Promise<FeatureFlagsOverview> {
    const client = this.client!;
    const project = target.unleash!.project;
    const projectPath = `/api/admin/projects/${encodeURIComponent(project)}`;
    const list = await client.get<{ features?: UnleashFeatureSummary[] }>(
      `${projectPath}/features`,
      `the flags of project "${project}"`,
    );
    if (!Array.isArray(list.features)) {
      throw new UpstreamError(
        'unleash',
        `Unleash sent an unexpected answer for the flags of project "${project}" (no features list)`,
      );
    }
    const [features, events] = await Promise.all([
      mapLimited(list.features, 4, f =>
        client.get<UnleashFeature>(
          `${projectPath}/features/${encodeURIComponent(f.name)}`,
          `flag "${f.name}"`,
        ),
      ),
      this.fetchEvents(client, project),
    ]);
    const changes = events.map(toChange);
    const environments: string[] = [];
    for (const f of features) {
      for (const e of f.environments ?? []) {
        if (!environments.includes(e.name)) environments.push(e.name);
      }
    }
    const flags = features.map((f, i): FeatureFlag => {
      const history = changes.filter(c => c.featureName === f.name);
      return {
        name: f.name,
        description: f.description ?? undefined,
        type: f.type ?? 'release',
        stale: Boolean(list.features![i]?.stale ?? f.stale),
        createdAt: f.createdAt,
        environments: (f.environments ?? []).map(toEnvironmentState),
        lastChange: history[0],
        history,
        url: `${this.config!.webUrl}/projects/${encodeURIComponent(
          project,
        )}/features/${encodeURIComponent(f.name)}`,
      };
    });
    return { project, environments, flags };
  }

  private async fetchEvents(client: JsonHttpClient, project: string) {
    const since = new Date(
      this.now().getTime() - (this.config?.eventsDays ?? 90) * 86_400_000,
    )
      .toISOString()
      .slice(0, 10);
    const events: UnleashEvent[] = [];
    for (let offset = 0; offset < MAX_EVENTS; offset += EVENTS_PAGE) {
      const page = await client.get<{
        events?: UnleashEvent[];
        total?: number;
      }>(
        '/api/admin/search/events',
        `the flag change events of project "${project}"`,
        {
          project: `IS:${project}`,
          from: `IS_ON_OR_AFTER:${since}`,
          offset,
          limit: EVENTS_PAGE,
        },
      );
      if (!Array.isArray(page.events)) {
        throw new UpstreamError(
          'unleash',
          `Unleash sent an unexpected answer for the flag change events of project "${project}"`,
        );
      }
      events.push(...page.events);
      if (
        page.events.length < EVENTS_PAGE ||
        events.length >= (page.total ?? 0)
      ) {
        break;
      }
    }
    return events
      .filter(e => e.featureName)
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  }
}

function describeUnleashStatus(status: number, what: string, body: string) {
  if (status === 401) {
    return 'Unleash rejected the API token (401): check lexecon.unleash.apiToken (an admin, personal or service-account token)';
  }
  if (status === 403) {
    return `Unleash denied access to ${what} (403): the token lacks permission for this project`;
  }
  if (status === 404) {
    return `Unleash has no ${what} (404): check the ${LEXECON_UNLEASH_PROJECT_ANNOTATION} annotation`;
  }
  const detail = errorDetail(body);
  return `Unleash answered ${status} for ${what}${detail ? `: ${detail}` : ''}`;
}

export function summariseStrategy(s: UnleashStrategy): FlagStrategy {
  const rollout = Number(s.parameters?.rollout);
  const constraints = (s.constraints ?? []).map(
    c =>
      `${c.contextName} ${c.operator.toLowerCase().replace(/_/g, ' ')} ${(
        c.values ?? []
      ).join(', ')}`,
  );
  let summary: string;
  let rolloutPercent: number | undefined;
  switch (s.name) {
    case 'default':
      summary = 'on for everyone';
      break;
    case 'flexibleRollout':
    case 'gradualRolloutRandom':
    case 'gradualRolloutUserId':
    case 'gradualRolloutSessionId':
      rolloutPercent = Number.isFinite(rollout)
        ? rollout
        : Number(s.parameters?.percentage);
      summary = `gradual rollout ${rolloutPercent}%`;
      break;
    case 'userWithId':
      summary = 'specific users';
      break;
    case 'remoteAddress':
      summary = 'specific IPs';
      break;
    default:
      summary = s.name;
  }
  if (constraints.length) summary += ` where ${constraints.join(' and ')}`;
  return {
    name: s.name,
    summary,
    rolloutPercent:
      rolloutPercent !== undefined && Number.isFinite(rolloutPercent)
        ? rolloutPercent
        : undefined,
    disabled: Boolean(s.disabled),
  };
}

function toEnvironmentState(
  e: UnleashFeature['environments'][number],
): FlagEnvironmentState {
  const strategies = (e.strategies ?? []).map(summariseStrategy);
  const active = strategies.filter(s => !s.disabled);
  let summary = 'off';
  if (e.enabled) {
    // Enabled with no strategy serves everyone (Unleash adds a default strategy).
    summary = active.length
      ? active.map(s => s.summary).join('; ')
      : 'on for everyone';
  }
  return { environment: e.name, enabled: e.enabled, strategies, summary };
}

const EVENT_VERBS: Record<string, string> = {
  'feature-created': 'created',
  'feature-archived': 'archived',
  'feature-revived': 'revived',
  'feature-environment-enabled': 'enabled',
  'feature-environment-disabled': 'disabled',
  'feature-strategy-add': 'strategy added',
  'feature-strategy-update': 'strategy changed',
  'feature-strategy-remove': 'strategy removed',
  'feature-stale-on': 'marked stale',
  'feature-stale-off': 'marked active',
  'change-request-applied': 'change request applied',
};

function toChange(e: UnleashEvent): FlagChange {
  let description = EVENT_VERBS[e.type] ?? e.type.replace(/-/g, ' ');
  if (e.type.startsWith('feature-strategy-') && e.data?.name) {
    const after = summariseStrategy(e.data).summary;
    const before = e.preData?.name
      ? summariseStrategy(e.preData).summary
      : undefined;
    description =
      before && before !== after
        ? `${before} → ${after}`
        : `${description}: ${after}`;
  }
  if (e.environment) description += ` in ${e.environment}`;
  return {
    id: e.id,
    featureName: e.featureName!,
    type: e.type,
    environment: e.environment ?? undefined,
    createdBy: e.createdBy,
    createdAt: e.createdAt,
    description,
  };
}
