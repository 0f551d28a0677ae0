import {
  EnvironmentReviewFacts,
  GithubEvidenceFacts,
  NotReadable,
  PolicyDocumentFact,
  Readable,
  SecurityAlertFact,
} from '@internal/plugin-lexecon-common';
import { mapLimited } from '../mapLimited';
import type { GithubClient } from './GithubClientFactory';
import {
  branchProtectionFacts,
  codeScanningAlertFact,
  dependabotAlertFact,
} from './githubEvidenceMappers';
import { toRequiredReviewers } from './githubMappers';

const PER_PAGE = 100;
const POLICY_DIR = 'docs/policies';
/** Policy files whose last commit is read at once. */
const COMMIT_READS_AT_ONCE = 4;

interface RequestErrorLike {
  status?: number;
  message?: string;
  response?: {
    data?: { message?: string };
    headers?: Record<string, string | undefined>;
  };
}

const statusOf = (error: unknown) => (error as RequestErrorLike)?.status;
const githubMessage = (error: unknown) => {
  const e = error as RequestErrorLike;
  return e?.response?.data?.message ?? e?.message ?? 'no message';
};

/** A 403 that is GitHub refusing the credentials, not its rate limit (which fails the read). */
function isPermissionDenied(error: unknown): boolean {
  const e = error as RequestErrorLike;
  return (
    e?.status === 403 &&
    e.response?.headers?.['x-ratelimit-remaining'] !== '0' &&
    !/rate limit/i.test(githubMessage(error))
  );
}

/**
 * Runs a read whose 403 means "these credentials may not see this": the part is then reported as
 * not readable, with GitHub's words and the permission it needs. Any other failure is thrown.
 */
async function readable<T>(
  permission: string,
  read: () => Promise<T>,
): Promise<({ readable: true } & T) | NotReadable> {
  try {
    return { readable: true, ...(await read()) };
  } catch (error) {
    if (!isPermissionDenied(error)) throw error;
    return {
      readable: false,
      why: `GitHub answered 403 (${githubMessage(
        error,
      )}): the credentials lack ${permission}`,
    };
  }
}

/** The value of a read whose 404 GitHub uses to say "there is none". */
async function orNoneOn404<T>(
  read: () => Promise<T>,
  isNone: (message: string) => boolean = () => true,
): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (statusOf(error) === 404 && isNone(githubMessage(error))) return null;
    throw error;
  }
}

/**
 * The evidence reads of one repository (issue 16): branch protection and rulesets of the default
 * branch, the production environment's reviewers, admins, open security alerts and policy
 * documents. Parts the credentials may not see come back as not readable, never as empty.
 */
export class GithubEvidenceReader {
  constructor(
    private readonly octokit: GithubClient,
    private readonly repository: { owner: string; repo: string },
  ) {}

  /** Only these two: Octokit sends any other field along as a query parameter. */
  private get params() {
    return { owner: this.repository.owner, repo: this.repository.repo };
  }

  async read(options: {
    productionEnvironment: string;
    now: Date;
  }): Promise<GithubEvidenceFacts> {
    const { owner, repo } = this.repository;
    const { data: repository } = await this.octokit.repos.get(this.params);
    const defaultBranch = repository.default_branch;
    const web = repository.html_url;
    const [
      branchProtection,
      productionReviewers,
      repositoryAdmins,
      organizationAdmins,
      dependabotAlerts,
      codeScanningAlerts,
      policies,
    ] = await Promise.all([
      this.branchProtection(defaultBranch, web),
      this.environmentReviewers(options.productionEnvironment, web),
      readable('Administration: read (classic token: repo)', async () => ({
        logins: await this.repositoryAdmins(),
        url: `${web}/settings/access`,
      })),
      readable('Members: read (classic token: read:org)', async () => ({
        organization: owner,
        logins: await this.organizationAdmins(),
      })),
      this.alerts(
        'Dependabot alerts: read (classic token: security_events)',
        `${web}/security/dependabot`,
        async () =>
          (
            await this.octokit.paginate(
              this.octokit.dependabot.listAlertsForRepo,
              { ...this.params, state: 'open', per_page: PER_PAGE },
            )
          ).map(a => dependabotAlertFact(a, options.now)),
      ),
      this.alerts(
        'Code scanning alerts: read (classic token: security_events)',
        `${web}/security/code-scanning`,
        async () =>
          (
            await this.octokit.paginate(
              this.octokit.codeScanning.listAlertsForRepo,
              { ...this.params, state: 'open', per_page: PER_PAGE },
            )
          ).map(a => codeScanningAlertFact(a, options.now)),
      ),
      readable('Contents: read (classic token: repo)', () =>
        this.policies(defaultBranch, web),
      ),
    ]);
    return {
      repository: `${owner}/${repo}`,
      repositoryUrl: web,
      defaultBranch,
      branchProtection,
      productionReviewers,
      repositoryAdmins,
      organizationAdmins,
      dependabotAlerts,
      codeScanningAlerts,
      policies,
    };
  }

  private async branchProtection(branch: string, web: string) {
    const permission = 'Administration: read (classic token: repo)';
    const [classic, rules] = await Promise.all([
      readable(permission, async () => ({
        protection: await orNoneOn404(
          async () =>
            (
              await this.octokit.repos.getBranchProtection({
                ...this.params,
                branch,
              })
            ).data,
          message => /not protected/i.test(message),
        ),
      })),
      readable('Metadata: read', async () => ({
        rules: await this.octokit.paginate(this.octokit.repos.getBranchRules, {
          ...this.params,
          branch,
          per_page: PER_PAGE,
        }),
      })),
    ]);
    if (!classic.readable) return classic;
    if (!rules.readable) return rules;
    return {
      readable: true as const,
      ...branchProtectionFacts(
        branch,
        classic.protection,
        rules.rules,
        `${web}/settings/branches`,
      ),
    };
  }

  private environmentReviewers(
    environment: string,
    web: string,
  ): Promise<Readable<EnvironmentReviewFacts>> {
    return readable('Actions: read (classic token: repo)', async () => {
      const env = await orNoneOn404(
        async () =>
          (
            await this.octokit.repos.getEnvironment({
              ...this.params,
              environment_name: environment,
            })
          ).data,
      );
      const rule = env?.protection_rules?.find(
        r => r.type === 'required_reviewers',
      ) as
        | {
            prevent_self_review?: boolean;
            reviewers?: Parameters<typeof toRequiredReviewers>[0];
          }
        | undefined;
      return {
        environment,
        exists: env !== null,
        reviewers: toRequiredReviewers(rule?.reviewers).map(r => ({
          type: r.type,
          name: r.name,
        })),
        preventSelfReview: Boolean(rule?.prevent_self_review),
        url: `${web}/settings/environments`,
      };
    });
  }

  private async repositoryAdmins(): Promise<string[]> {
    const admins = await this.octokit.paginate(
      this.octokit.repos.listCollaborators,
      {
        ...this.params,
        affiliation: 'direct',
        permission: 'admin',
        per_page: PER_PAGE,
      },
    );
    return admins.map(a => a.login).sort();
  }

  private async organizationAdmins(): Promise<string[]> {
    const owners = await this.octokit.paginate(this.octokit.orgs.listMembers, {
      org: this.repository.owner,
      role: 'admin',
      per_page: PER_PAGE,
    });
    return owners.map(o => o.login).sort();
  }

  private alerts(
    permission: string,
    url: string,
    read: () => Promise<SecurityAlertFact[]>,
  ) {
    return readable(permission, async () => ({ open: await read(), url }));
  }

  private async policies(branch: string, web: string) {
    const url = `${web}/tree/${branch}/${POLICY_DIR}`;
    const listing = await orNoneOn404(
      async () =>
        (
          await this.octokit.repos.getContent({
            ...this.params,
            path: POLICY_DIR,
            ref: branch,
          })
        ).data,
    );
    if (!Array.isArray(listing)) {
      return { found: false, documents: [], url };
    }
    const files = listing.filter(
      f => f.type === 'file' && f.name.toLowerCase().endsWith('.md'),
    );
    const documents = await mapLimited(
      files,
      COMMIT_READS_AT_ONCE,
      async (file): Promise<PolicyDocumentFact> => {
        const { data: commits } = await this.octokit.repos.listCommits({
          ...this.params,
          sha: branch,
          path: file.path,
          per_page: 1,
        });
        const last = commits[0];
        return {
          path: file.path,
          lastReviewed:
            last?.commit.committer?.date ?? last?.commit.author?.date ?? null,
          url: file.html_url ?? `${web}/blob/${branch}/${file.path}`,
          ...(last ? { commitUrl: last.html_url } : {}),
        };
      },
    );
    return { found: true, documents, url };
  }
}
