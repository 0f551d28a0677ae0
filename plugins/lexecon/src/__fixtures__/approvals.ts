import { ResponseError } from '@backstage/errors';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ApprovalsInbox,
  DecisionResult,
  PendingApproval,
  ReadinessGateStatus,
  ReadinessScore,
} from '@internal/plugin-lexecon-common';
import { DecisionRequest } from '../api/LexeconApi';
import { alice, FakeLexeconApi, githubSource, minutesAgo } from './deployments';

const inMinutes = (minutes: number) =>
  new Date(Date.now() + minutes * 60_000).toISOString();

const PAYMENTS = 'https://github.com/acme/payments-api';
const LEDGER = 'https://github.com/acme/ledger-service';

const sam = { login: 'sam-ortiz', htmlUrl: 'https://github.com/sam-ortiz' };

export const goodReadiness: ReadinessScore = {
  score: 92.4,
  band: 'good',
  gate: 90,
  passesGate: true,
  inputs: [
    {
      key: 'ci',
      label: 'CI pass rate',
      weight: 0.4,
      score: 100,
      detail: '10 of the last 10 runs on main passed',
      url: `${PAYMENTS}/actions?query=branch%3Amain`,
    },
    {
      key: 'coverage',
      label: 'Test coverage',
      weight: 0.3,
      score: 82,
      detail: '82% line coverage',
    },
    {
      key: 'security',
      label: 'Security scan',
      weight: 0.2,
      score: 95,
      detail: '1 low severity finding, no high or critical',
      url: `${PAYMENTS}/security/code-scanning`,
    },
    {
      key: 'quality',
      label: 'Code quality',
      weight: 0.1,
      score: 88,
      detail: 'Maintainability rating A, 3 code smells',
    },
  ],
  failing: [],
};

const RELEASE_MANAGERS = 'group:default/release-managers';

/** A run that passes the readiness gate: nothing to override. */
const gatePassed: ReadinessGateStatus = {
  passes: true,
  overrideRequired: false,
  viewerCanOverride: false,
  overrideGroups: [RELEASE_MANAGERS],
};

/** Waiting for the signed-in approver, who may decide with their GitHub token. */
export const paymentsWaiting: PendingApproval = {
  id: '9015:production',
  entityRef: 'component:default/payments-api',
  entityTitle: 'Payments API',
  repository: { slug: 'acme/payments-api', htmlUrl: PAYMENTS },
  runId: 9015,
  runUrl: `${PAYMENTS}/actions/runs/9015`,
  workflowName: 'Deploy to production',
  environment: 'production',
  environmentUrl: `${PAYMENTS}/deployments/production`,
  mode: 'github-reviewers',
  version: 'v1.8.0',
  sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  shortSha: 'a1b2c3d',
  commitTitle: 'Add idempotency keys to refunds',
  requestedBy: alice,
  waitingSince: minutesAgo(45),
  waitTimerMinutes: 30,
  expiresAt: inMinutes(30 * 24 * 60 - 45),
  requiredReviewers: [
    {
      type: 'Team',
      name: 'release-managers',
      htmlUrl: 'https://github.com/orgs/acme/teams/release-managers',
    },
    {
      type: 'User',
      name: 'jordan-lee',
      htmlUrl: 'https://github.com/jordan-lee',
    },
  ],
  segregationOfDuties: true,
  changeSet: {
    base: {
      sha: 'b2c3d4e5f60718293a4b5c6d7e8f901234567890',
      version: 'v1.7.2',
    },
    commits: [
      {
        sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
        shortSha: 'a1b2c3d',
        title: 'Add idempotency keys to refunds',
        author: alice,
        authoredAt: minutesAgo(240),
        htmlUrl: `${PAYMENTS}/commit/a1b2c3d4e5f60718293a4b5c6d7e8f9012345678`,
      },
      {
        sha: 'e5f60718293a4b5c6d7e8f9012345678a1b2c3d4',
        shortSha: 'e5f6071',
        title: 'Retry settlement export on 503',
        author: sam,
        authoredAt: minutesAgo(600),
        htmlUrl: `${PAYMENTS}/commit/e5f60718293a4b5c6d7e8f9012345678a1b2c3d4`,
      },
    ],
    totalCommits: 2,
    pullRequests: [
      {
        number: 412,
        title: 'Idempotent refunds',
        author: alice,
        htmlUrl: `${PAYMENTS}/pull/412`,
      },
      {
        number: 409,
        title: 'Settlement export retries',
        author: sam,
        htmlUrl: `${PAYMENTS}/pull/409`,
      },
    ],
    authors: ['alice', 'sam-ortiz'],
    compareUrl: `${PAYMENTS}/compare/v1.7.2...a1b2c3d4e5f60718293a4b5c6d7e8f9012345678`,
  },
  ci: {
    conclusion: 'success',
    checks: [
      {
        name: 'build',
        conclusion: 'success',
        url: `${PAYMENTS}/runs/501`,
      },
      {
        name: 'unit-tests',
        conclusion: 'success',
        url: `${PAYMENTS}/runs/502`,
        summary: '1,204 tests passed',
      },
      {
        name: 'codeql',
        conclusion: 'success',
        url: `${PAYMENTS}/runs/503`,
      },
    ],
  },
  staging: {
    isLiveOnStaging: true,
    liveVersion: 'v1.8.0',
    deployedAt: minutesAgo(130),
    onStagingSeconds: 130 * 60,
    result: 'success',
    health: 'healthy',
    detail: 'Helm release deployed, 3 of 3 pods ready',
  },
  readiness: goodReadiness,
  gate: gatePassed,
  viewer: {
    canDecide: true,
    githubLogin: 'jordan-lee',
    reasons: [],
    needsGithubToken: true,
  },
  warnings: [],
};

/** The viewer may not decide: no permission, own change, and they started the run. */
export const ledgerBlocked: PendingApproval = {
  id: '7203:production',
  entityRef: 'component:default/ledger-service',
  entityTitle: 'Ledger Service',
  repository: { slug: 'acme/ledger-service', htmlUrl: LEDGER },
  runId: 7203,
  runUrl: `${LEDGER}/actions/runs/7203`,
  workflowName: 'Release',
  environment: 'production',
  mode: 'portal-gate',
  version: 'v2.4.1',
  sha: '0718293a4b5c6d7e8f9012345678a1b2c3d4e5f6',
  shortSha: '0718293',
  commitTitle: 'Reconcile late FX postings',
  requestedBy: sam,
  waitingSince: minutesAgo(3 * 60),
  expiresAt: inMinutes(30 * 24 * 60 - 180),
  requiredReviewers: [{ type: 'Team', name: 'finance-approvers' }],
  segregationOfDuties: true,
  changeSet: {
    base: {
      sha: '93a4b5c6d7e8f9012345678a1b2c3d4e5f607182',
      version: 'v2.4.0',
    },
    commits: [
      {
        sha: '0718293a4b5c6d7e8f9012345678a1b2c3d4e5f6',
        shortSha: '0718293',
        title: 'Reconcile late FX postings',
        author: sam,
      },
    ],
    totalCommits: 1,
    pullRequests: [],
    authors: ['sam-ortiz'],
  },
  ci: {
    conclusion: 'failure',
    checks: [
      { name: 'build', conclusion: 'success', url: `${LEDGER}/runs/801` },
      {
        name: 'integration-tests',
        conclusion: 'failure',
        url: `${LEDGER}/runs/802`,
        summary: '2 of 318 tests failed',
      },
    ],
  },
  staging: {
    isLiveOnStaging: false,
    liveVersion: 'v2.4.0',
    health: 'unknown',
    detail: 'v2.4.1 has not been deployed to staging',
  },
  readiness: {
    score: 63,
    band: 'poor',
    gate: 90,
    passesGate: false,
    inputs: [
      {
        key: 'ci',
        label: 'CI pass rate',
        weight: 0.4,
        score: 90,
        detail: '9 of the last 10 runs on main passed',
      },
      {
        key: 'coverage',
        label: 'Test coverage',
        weight: 0.3,
        detail: 'No coverage report for this commit',
      },
      {
        key: 'security',
        label: 'Security scan',
        weight: 0.2,
        score: 100,
        detail: 'No findings',
      },
      {
        key: 'quality',
        label: 'Code quality',
        weight: 0.1,
        score: 70,
        detail: 'Maintainability rating C',
      },
    ],
    failing: ['coverage', 'quality'],
  },
  gate: {
    passes: false,
    overrideRequired: true,
    viewerCanOverride: false,
    overrideGroups: [RELEASE_MANAGERS],
  },
  viewer: {
    canDecide: false,
    githubLogin: 'sam-ortiz',
    reasons: [
      {
        code: 'missing-permission',
        message: 'You do not have the lexecon.deployment.approve permission',
        permission: 'lexecon.deployment.approve',
      },
      {
        code: 'own-change',
        message: 'You authored a commit in this change set (0718293)',
      },
      { code: 'triggered-run', message: 'You started this deploy run' },
    ],
    needsGithubToken: false,
  },
  warnings: ['Could not read the coverage report: SonarCloud answered 503'],
};

/** Same as the payments run but in `portal-gate` mode: no GitHub token is needed. */
export const paymentsPortalGate: PendingApproval = {
  ...paymentsWaiting,
  mode: 'portal-gate',
  viewer: { ...paymentsWaiting.viewer, needsGithubToken: false },
};

/** Below the readiness gate with coverage missing; the viewer is a release manager. */
export const paymentsBelowGate: PendingApproval = {
  ...paymentsWaiting,
  id: '9016:production',
  runId: 9016,
  version: 'v1.8.1',
  readiness: {
    ...goodReadiness,
    score: 72.4,
    band: 'poor',
    passesGate: false,
    inputs: goodReadiness.inputs.map(input =>
      input.key === 'coverage'
        ? { ...input, score: undefined, detail: 'No coverage reported' }
        : input,
    ),
    failing: ['coverage', 'quality'],
  },
  gate: {
    passes: false,
    overrideRequired: true,
    viewerCanOverride: true,
    overrideGroups: [RELEASE_MANAGERS],
  },
};

export function inbox(
  items: PendingApproval[] = [paymentsWaiting, ledgerBlocked],
  overrides: Partial<ApprovalsInbox> = {},
): ApprovalsInbox {
  return {
    items,
    sources: [
      {
        ...githubSource({ source: 'github-approvals' }),
        entityRef: 'component:default/payments-api',
      },
    ],
    generatedAt: minutesAgo(1),
    ...overrides,
  };
}

export function decisionResult(
  item: PendingApproval,
  decision: DecisionResult['decision'] = 'approved',
): DecisionResult {
  return {
    decision,
    runId: item.runId,
    environment: item.environment,
    version: item.version,
    decidedBy: 'user:default/jordan-lee',
    githubLogin: 'jordan-lee',
    decidedAt: minutesAgo(0),
    mode: item.mode,
    auditId: 42,
  };
}

/** A Lexecon API whose approvals inbox and decisions the test chooses. */
export class FakeApprovalsApi extends FakeLexeconApi {
  constructor(
    private readonly approvals: {
      inbox?: ApprovalsInbox | Error;
      decide?: (request: DecisionRequest) => DecisionResult | Error;
    } = {},
  ) {
    super();
  }

  async getApprovalsInbox(): Promise<ApprovalsInbox> {
    const value = this.approvals.inbox ?? inbox();
    if (value instanceof Error) throw value;
    return value;
  }

  async getEntityApprovals(ref: CompoundEntityRef): Promise<ApprovalsInbox> {
    const all = await this.getApprovalsInbox();
    const wanted = stringifyEntityRef(ref);
    return { ...all, items: all.items.filter(i => i.entityRef === wanted) };
  }

  async decide(request: DecisionRequest): Promise<DecisionResult> {
    const answer = this.approvals.decide?.(request);
    if (answer instanceof Error) throw answer;
    if (answer) return answer;
    const item = [paymentsWaiting, ledgerBlocked].find(
      i => i.runId === request.runId,
    )!;
    return decisionResult(item, request.body.decision);
  }
}

/** An error as the backend sends it: Backstage's error body plus any extra fields. */
export function httpError(
  statusCode: number,
  name: string,
  message: string,
  extra: Record<string, unknown> = {},
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        response: { statusCode },
        ...extra,
      }),
      { status: statusCode, headers: { 'Content-Type': 'application/json' } },
    ),
  );
}
