import { LoggerService } from '@backstage/backend-plugin-api';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { Config } from '@backstage/config';
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { createTimeoutFetch } from '../http/timeoutFetch';
import { EtagCache, EtagCacheOptions } from './EtagCache';
import { GithubRepositoryReader } from './GithubRepositoryReader';

// Typed as plain Octokit: the plugins only add constructor options, which Octokit's options accept.
const LexeconOctokit: typeof Octokit = Octokit.plugin(throttling, retry);
export type GithubClient = Octokit;

/** Rate-limit waits longer than this fail the refresh instead of stalling it. */
const MAX_RATE_LIMIT_WAIT_SECONDS = 60;

/**
 * Builds Octokit clients for the configured GitHub integration (token or GitHub App), with
 * throttling, bounded retries, a per-request timeout, and conditional requests: every GET carries
 * the ETag of its last answer, so unchanged data comes back as a 304 that costs no rate budget.
 * Those answers are kept in this process, bounded in age and size (see EtagCache).
 */
export class GithubClientFactory {
  private readonly integrations: ScmIntegrations;
  private readonly credentials: DefaultGithubCredentialsProvider;
  private readonly clients = new Map<string, GithubClient>();
  private readonly etags: EtagCache;

  constructor(
    config: Config,
    private readonly options: {
      host: string;
      logger: LoggerService;
      timeoutMs: number;
      retries: number;
      /** Bounds of the conditional-request cache (see EtagCacheOptions for the defaults). */
      etagCache?: EtagCacheOptions;
      now?: () => number;
    },
  ) {
    this.etags = new EtagCache(options.etagCache, options.now);
    this.integrations = ScmIntegrations.fromConfig(config);
    this.credentials = DefaultGithubCredentialsProvider.fromIntegrations(
      this.integrations,
    );
  }

  /** Web URL of a repository (for links back to GitHub). */
  repositoryUrl(owner: string, repo: string): string {
    const integration = this.integrations.github.byHost(this.options.host);
    const apiBase = integration?.config.apiBaseUrl;
    // GitHub Enterprise style API bases end in /api/v3; the web UI lives at the root.
    const web =
      apiBase && this.options.host !== 'github.com'
        ? apiBase.replace(/\/api\/v3\/?$/, '')
        : `https://${this.options.host}`;
    return `${web}/${owner}/${repo}`;
  }

  private integration() {
    const integration = this.integrations.github.byHost(this.options.host);
    if (!integration) {
      throw new Error(
        `No integrations.github entry for host "${this.options.host}" (set lexecon.github.host)`,
      );
    }
    return integration;
  }

  /**
   * A client acting as the signed-in person, for one write. It shares no cache with the portal's
   * own client (answers such as `current_user_can_approve` depend on who asks) and never retries:
   * a review must reach GitHub at most once.
   */
  forUserToken(token: string): GithubClient {
    return this.createClient(this.integration().config.apiBaseUrl, token, {
      conditional: false,
      retries: 0,
    });
  }

  /** The portal's own credentials (token or GitHub App) without retries, for writes. */
  async writerForRepository(owner: string, repo: string) {
    const token = await this.serviceToken(owner, repo);
    return this.createClient(this.integration().config.apiBaseUrl, token, {
      conditional: false,
      retries: 0,
    });
  }

  private async serviceToken(owner: string, repo: string): Promise<string> {
    const { token } = await this.credentials.getCredentials({
      url: `https://${this.options.host}/${owner}/${repo}`,
    });
    if (!token) {
      throw new Error(
        `No GitHub credentials for ${owner}/${repo} on ${this.options.host}: configure a token or a GitHub App in integrations.github`,
      );
    }
    return token;
  }

  /** The typed reads of one repository, with the portal's own credentials. */
  async reader(owner: string, repo: string): Promise<GithubRepositoryReader> {
    return new GithubRepositoryReader(await this.forRepository(owner, repo), {
      owner,
      repo,
      htmlUrl: this.repositoryUrl(owner, repo),
    });
  }

  async forRepository(owner: string, repo: string): Promise<GithubClient> {
    const integration = this.integration();
    const token = await this.serviceToken(owner, repo);
    const key = `${integration.config.apiBaseUrl}|${token}`;
    const existing = this.clients.get(key);
    if (existing) return existing;
    const client = this.createClient(integration.config.apiBaseUrl, token, {
      conditional: true,
      retries: this.options.retries,
    });
    this.clients.set(key, client);
    return client;
  }

  private createClient(
    baseUrl: string | undefined,
    token: string,
    mode: { conditional: boolean; retries: number },
  ) {
    const { logger, timeoutMs } = this.options;
    const cache = this.etags;
    const { retries } = mode;
    // Wait out GitHub's rate limit only when it is short and retries are left.
    const waitOrGiveUp =
      (kind: string) =>
      (
        retryAfter: number,
        options: { url?: string },
        _octokit: unknown,
        retryCount: number,
      ) => {
        logger.warn(
          `GitHub ${kind} reached for ${options.url}; retry after ${retryAfter}s`,
        );
        return (
          retryCount < retries && retryAfter <= MAX_RATE_LIMIT_WAIT_SECONDS
        );
      };
    const octokit = new LexeconOctokit({
      auth: token,
      baseUrl,
      userAgent: 'lexecon-backstage-plugin',
      request: { fetch: createTimeoutFetch(timeoutMs) },
      retry: { retries, enabled: retries > 0 },
      throttle: {
        onRateLimit: waitOrGiveUp('rate limit'),
        onSecondaryRateLimit: waitOrGiveUp('secondary rate limit'),
      },
    });

    if (!mode.conditional) return octokit;
    octokit.hook.wrap('request', async (request, options) => {
      if (options.method !== 'GET') return request(options);
      const { url } = octokit.request.endpoint.parse(options);
      const key = url;
      const cached = cache.get(key);
      if (cached) {
        options.headers = { ...options.headers, 'if-none-match': cached.etag };
      }
      try {
        const response = await request(options);
        // Octokit hands back the raw text when a JSON body does not parse; never store that.
        if (typeof response.data === 'string') {
          throw new SyntaxError(
            `GitHub answered ${url} with a body that is not valid JSON`,
          );
        }
        const etag = response.headers.etag;
        if (etag) {
          // A copy: Octokit's paginate rewrites list bodies in place after this returns.
          cache.set(key, {
            etag,
            link: response.headers.link,
            body: JSON.stringify(response.data),
          });
        }
        return response;
      } catch (error) {
        if (cached && (error as { status?: number }).status === 304) {
          cache.confirm(key);
          return {
            status: 200,
            url,
            headers: { etag: cached.etag, link: cached.link },
            data: JSON.parse(cached.body),
          } as Awaited<ReturnType<typeof request>>;
        }
        throw error;
      }
    });
    return octokit;
  }
}
