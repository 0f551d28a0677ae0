import { DeploymentRecord } from '@internal/plugin-lexecon-common';
import {
  authorsOfStoredChangeSet,
  changePopulation,
  RunContext,
} from './changePopulation';
import { changePopulationObservation } from './derivedObservations';

const API = 'component:default/lexecon-api';

const deploy = (
  runId: number,
  overrides: Partial<DeploymentRecord> = {},
): DeploymentRecord => ({
  id: `production:run:${runId}`,
  environment: 'production',
  sha: `${runId}abcdef0`,
  shortSha: `${runId}abc`,
  version: `v1.${runId}.0`,
  startedAt: `2026-03-0${runId}T10:00:00.000Z`,
  finishedAt: `2026-03-0${runId}T10:30:00.000Z`,
  result: 'success',
  runId,
  sources: ['github'],
  approval: {
    state: 'approved',
    user: { login: 'alex-kim' },
    at: `2026-03-0${runId}T10:20:00.000Z`,
  },
  ...overrides,
});

const context = (runId: number, authors: string[]): [number, RunContext] => [
  runId,
  {
    runId,
    authors,
    commitCount: authors.length,
    ciConclusion: 'success',
    readinessScore: 95,
    readinessGate: 90,
  },
];

describe('changePopulation', () => {
  it('lists each finished production deploy once, oldest first, with what CC8.1 asks of it', () => {
    const rows = changePopulation(
      API,
      [deploy(2), deploy(1), deploy(1), deploy(3, { result: 'waiting' })],
      new Map([context(1, ['maya-chen']), context(2, ['dev-patel'])]),
      [],
    );
    expect(rows.map(r => r.runId)).toEqual([1, 2]);
    expect(rows[0]).toMatchObject({
      approver: 'alex-kim',
      approvalTimeSource: 'github-job-start',
      approvedBeforeDeploy: true,
      approverNotAuthor: true,
      ciConclusion: 'success',
      readinessScore: 95,
      exceptions: [],
    });
  });

  it('takes the approval time of a portal decision from the audit trail', () => {
    const [row] = changePopulation(API, [deploy(1)], new Map(), [
      {
        runId: 1,
        environment: 'production',
        githubLogin: 'jordan-lee',
        actor: 'user:default/jordan-lee',
        at: '2026-03-01T10:05:00.000Z',
      },
    ]);
    expect(row).toMatchObject({
      approver: 'jordan-lee',
      approvedAt: '2026-03-01T10:05:00.000Z',
      approvalTimeSource: 'portal-audit',
      approverNotAuthor: null,
    });
  });

  it('flags an approver who authored part of the change, a deploy nobody approved, an approval after it ran, and the audit trail’s gate exceptions', () => {
    const rows = changePopulation(
      API,
      [
        deploy(1),
        deploy(2, { approval: undefined }),
        deploy(3, {
          approval: {
            state: 'approved',
            user: { login: 'alex-kim' },
            at: '2026-03-03T11:00:00.000Z',
          },
        }),
        deploy(4, {
          exceptions: [
            {
              kind: 'readiness-override',
              by: 'user:default/alex-kim',
              at: '2026-03-04T10:10:00.000Z',
              message: 'approved below the gate: 80 against 90',
              auditId: 7,
              reason: 'Hotfix',
            },
          ],
        }),
      ],
      new Map([context(1, ['Alex-Kim', 'maya-chen'])]),
      [],
    );
    expect(rows.map(r => r.exceptions)).toEqual([
      ['approved by alex-kim, who authored part of the change: SoD exception'],
      ['deployed to production without an approval'],
      ['approved after the deploy finished'],
      ['readiness gate overridden: approved below the gate: 80 against 90'],
    ]);
    expect(
      changePopulationObservation(rows, {
        entityRef: API,
        collected: new Date('2026-03-05T00:00:00.000Z'),
        cadence: 'continuous',
      }),
    ).toMatchObject({
      status: 'failing',
      expires: '2026-03-06T00:00:00.000Z',
      facts: { deployCount: 4, exceptionCount: 4 },
    });
  });

  it('passes only when every approver is known not to be an author, failing closed otherwise', () => {
    const at = {
      entityRef: API,
      collected: new Date('2026-03-05T00:00:00.000Z'),
      cadence: 'continuous' as const,
    };
    const checked = changePopulation(
      API,
      [deploy(1)],
      new Map([context(1, ['maya-chen'])]),
      [],
    );
    expect(changePopulationObservation(checked, at).status).toBe('passing');
    const unchecked = changePopulation(API, [deploy(1)], new Map(), []);
    expect(changePopulationObservation(unchecked, at)).toMatchObject({
      status: 'failing',
      reason: expect.stringContaining(
        '1 of 1 production deploy cannot be checked',
      ),
    });
  });

  it('flags an approver who triggered the deploy, and says why a deploy’s authors are unknown', () => {
    const rows = changePopulation(
      API,
      [deploy(1, { triggeredBy: { login: 'Alex-Kim' } }), deploy(2), deploy(3)],
      new Map<number, RunContext>([
        context(1, ['maya-chen']),
        [
          2,
          {
            runId: 2,
            authorsUnknown: 'no GitHub account is linked to the author “Sam”',
          },
        ],
      ]),
      [],
    );
    expect(rows[0].exceptions).toEqual([
      'approved by alex-kim, who triggered the deploy: SoD exception',
    ]);
    expect(rows[1]).toMatchObject({
      approverNotAuthor: null,
      authorsUnknown: 'no GitHub account is linked to the author “Sam”',
    });
    expect(rows[2]).toMatchObject({
      approverNotAuthor: null,
      authorsUnknown: 'the portal never read its change set',
    });
  });
});

describe('authorsOfStoredChangeSet', () => {
  const commit = (sha: string, logins: string[], unlinked?: string[]) => ({
    sha,
    logins,
    ...(unlinked ? { unlinked } : {}),
  });

  it('names everyone with a hand in a change set read in full', () => {
    expect(
      authorsOfStoredChangeSet({
        commits: [
          commit('a1', ['maya-chen', 'jordan-lee']),
          commit('b2', ['maya-chen']),
        ],
        totalCommits: 2,
      }),
    ).toEqual({ authors: ['maya-chen', 'jordan-lee'], commitCount: 2 });
    expect(authorsOfStoredChangeSet({ commits: [], totalCommits: 0 })).toEqual({
      authors: [],
      commitCount: 0,
    });
  });

  it('fails closed on an unread, truncated, unlinked or pre-people change set, saying why', () => {
    expect(
      authorsOfStoredChangeSet({ unknown: 'GitHub answered 503' }),
    ).toEqual({
      authorsUnknown: 'its change set is unknown: GitHub answered 503',
    });
    expect(
      authorsOfStoredChangeSet({
        commits: [commit('a1', ['maya-chen'])],
        totalCommits: 250,
      }).authorsUnknown,
    ).toBe('its change set has 250 commits and the portal read 1');
    expect(
      authorsOfStoredChangeSet({
        commits: [
          commit('a1b2c3d4e5', ['maya-chen'], ['the author “Sam”']),
          commit('f6', ['dev-patel']),
        ],
        totalCommits: 2,
      }).authorsUnknown,
    ).toBe('no GitHub account is linked to the author “Sam” of a1b2c3d');
    expect(
      authorsOfStoredChangeSet({
        commits: [{ sha: 'a1' }],
        totalCommits: 1,
      }).authorsUnknown,
    ).toMatch(/read before the portal kept the people of each commit/);
  });
});
