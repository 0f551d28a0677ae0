import { ChangelogCommit, ChangeSet } from '@internal/plugin-lexecon-common';
import {
  assessEligibility,
  EligibilityInput,
  isRequiredReviewer,
} from './eligibility';

const commit = (sha: string, login = 'dev-patel'): ChangelogCommit => ({
  sha,
  shortSha: sha.slice(0, 7),
  title: `commit ${sha}`,
  author: { login },
  authorName: login,
});

const changeSet = (overrides: Partial<ChangeSet> = {}): ChangeSet => ({
  commits: [commit('aaaaaaa1111', 'dev-patel'), commit('bbbbbbb2222')],
  totalCommits: 2,
  pullRequests: [{ number: 7, title: 'Faster rules', author: undefined }],
  authors: ['dev-patel'],
  ...overrides,
});

/** A release approver looking at a production run someone else triggered and wrote. */
function input(overrides: Partial<EligibilityInput> = {}): EligibilityInput {
  return {
    run: {
      environment: 'production',
      reviewers: [
        { type: 'Team', name: 'release-approvers' },
        { type: 'User', name: 'jordan-lee' },
      ],
      triggeringActor: { login: 'priya-nair' },
      changeSet: changeSet(),
    },
    teams: { 'release-approvers': ['alex-kim', 'jordan-lee'] },
    mode: 'github-reviewers',
    segregationOfDuties: true,
    permitted: true,
    githubLogin: 'alex-kim',
    ...overrides,
  };
}

const withRun = (run: Partial<EligibilityInput['run']>) =>
  input({ run: { ...input().run, ...run } });

const codes = (i: EligibilityInput) =>
  assessEligibility(i).reasons.map(r => r.code);

const TRIGGERED =
  'You triggered this deploy; segregation of duties requires someone else to approve production';
const OPENED_PR =
  'You opened pull request #7; segregation of duties requires someone else to approve';
const CANNOT_CHECK =
  'the portal cannot tell whether that is you, so it cannot check segregation of duties';

describe('assessEligibility', () => {
  it('lets a permitted required reviewer decide on someone else’s change', () => {
    expect(assessEligibility(input())).toEqual({
      canDecide: true,
      githubLogin: 'alex-kim',
      reasons: [],
      needsGithubToken: true,
    });
  });

  it('names the permission a person lacks', () => {
    expect(assessEligibility(input({ permitted: false }))).toEqual({
      canDecide: false,
      githubLogin: 'alex-kim',
      reasons: [
        {
          code: 'missing-permission',
          permission: 'lexecon.deployment.approve',
          message:
            'You do not have the lexecon.deployment.approve permission for this service (it is granted to the release approver groups)',
        },
      ],
      needsGithubToken: true,
    });
  });

  describe('without a GitHub login on the catalog user', () => {
    const noIdentity = {
      code: 'no-github-identity',
      message:
        'Your catalog user has no github.com/user-login annotation, so the portal cannot tell whether this change is yours',
    };

    it('refuses in github-reviewers mode, even without segregation of duties', () => {
      const result = assessEligibility(
        input({ githubLogin: undefined, segregationOfDuties: false }),
      );
      expect(result.canDecide).toBe(false);
      expect(result.reasons).toEqual([noIdentity]);
      expect(result.githubLogin).toBeUndefined();
    });

    it('refuses in portal-gate mode when segregation of duties must be checked', () => {
      const result = assessEligibility(
        input({ githubLogin: undefined, mode: 'portal-gate' }),
      );
      expect(result).toMatchObject({
        canDecide: false,
        needsGithubToken: false,
      });
      expect(result.reasons).toEqual([noIdentity]);
    });

    it('lets a permitted person decide in portal-gate mode without segregation of duties', () => {
      expect(
        assessEligibility(
          input({
            githubLogin: undefined,
            mode: 'portal-gate',
            segregationOfDuties: false,
          }),
        ),
      ).toEqual({
        canDecide: true,
        githubLogin: undefined,
        reasons: [],
        needsGithubToken: false,
      });
    });

    it('names only the missing permission to someone who may not approve at all (an auditor)', () => {
      expect(
        codes(input({ githubLogin: undefined, permitted: false })),
      ).toEqual(['missing-permission']);
    });

    it('treats an empty login as none', () => {
      expect(codes(input({ githubLogin: '' }))).toEqual(['no-github-identity']);
    });
  });

  describe('required reviewers', () => {
    it('refuses someone who is neither a listed reviewer nor in a reviewer team, naming the reviewers', () => {
      const result = assessEligibility(input({ githubLogin: 'sam-okafor' }));
      expect(result.reasons).toEqual([
        {
          code: 'not-reviewer',
          message:
            'You are not a required reviewer of production (reviewers: team release-approvers, jordan-lee)',
        },
      ]);
    });

    it('says so without a list when the environment names no reviewers', () => {
      expect(
        assessEligibility(withRun({ reviewers: [] })).reasons[0].message,
      ).toBe('You are not a required reviewer of production');
    });

    it('accepts a listed user and a team member, ignoring the case of logins', () => {
      expect(codes(input({ githubLogin: 'Jordan-Lee' }))).toEqual([]);
      expect(codes(input({ githubLogin: 'ALEX-KIM' }))).toEqual([]);
    });

    it('does not count members of a team whose members could not be read', () => {
      expect(codes(input({ teams: {} }))).toEqual(['not-reviewer']);
    });

    it('does not apply in portal-gate mode, where the portal’s App is the reviewer', () => {
      expect(
        codes(input({ githubLogin: 'sam-okafor', mode: 'portal-gate' })),
      ).toEqual([]);
    });
  });

  describe('segregation of duties', () => {
    it('refuses whoever triggered the run, whatever the case of their login', () => {
      const run = { triggeringActor: { login: 'Alex-Kim' } };
      expect(assessEligibility(withRun(run)).reasons).toEqual([
        { code: 'triggered-run', message: TRIGGERED },
      ]);
      expect(
        assessEligibility({ ...withRun(run), githubLogin: 'alex-kim' }).reasons,
      ).toEqual([{ code: 'triggered-run', message: TRIGGERED }]);
    });

    it('does not refuse when the triggering actor is unknown', () => {
      expect(codes(withRun({ triggeringActor: undefined }))).toEqual([]);
    });

    it('refuses an author of commits, counting them and listing the first three', () => {
      const commits = ['1111111aa', '2222222bb', '3333333cc', '4444444dd'].map(
        sha => commit(sha, 'alex-kim'),
      );
      const result = assessEligibility(
        withRun({
          changeSet: changeSet({
            commits: [commit('0000000zz', 'dev-patel'), ...commits],
          }),
        }),
      );
      expect(result.reasons).toEqual([
        {
          code: 'own-change',
          message:
            'You authored 4 of the commits in this change set (1111111, 2222222, 3333333); segregation of duties requires someone else to approve',
        },
      ]);
    });

    it('matches commit authors whatever the case of their login', () => {
      const result = assessEligibility(
        input({
          githubLogin: 'Jordan-Lee',
          run: {
            ...input().run,
            changeSet: changeSet({
              commits: [commit('5555555ee', 'jordan-lee')],
            }),
          },
        }),
      );
      expect(result.reasons).toEqual([
        {
          code: 'own-change',
          message:
            'You authored 1 of the commits in this change set (5555555); segregation of duties requires someone else to approve',
        },
      ]);
    });

    it('refuses the author of a pull request in the change set who wrote none of its commits', () => {
      const result = assessEligibility(
        withRun({
          changeSet: changeSet({
            pullRequests: [
              {
                number: 7,
                title: 'Faster rules',
                author: { login: 'ALEX-kim' },
              },
            ],
          }),
        }),
      );
      expect(result.reasons).toEqual([
        { code: 'own-change', message: OPENED_PR },
      ]);
    });

    it('refuses the author of any one of several pull requests in the change set', () => {
      const pullRequests = [
        { number: 7, title: 'Faster rules', author: { login: 'dev-patel' } },
        { number: 8, title: 'Audit export', author: { login: 'alex-kim' } },
      ];
      expect(
        codes(withRun({ changeSet: changeSet({ pullRequests }) })),
      ).toEqual(['own-change']);
    });

    it('gives one reason for commits and a pull request of the same person, naming the commits', () => {
      const result = assessEligibility(
        withRun({
          changeSet: changeSet({
            commits: [commit('6666666ff', 'alex-kim')],
            pullRequests: [
              { number: 8, title: 'x', author: { login: 'alex-kim' } },
            ],
          }),
        }),
      );
      expect(result.reasons.map(r => r.message)).toEqual([
        'You authored 1 of the commits in this change set (6666666); segregation of duties requires someone else to approve',
      ]);
    });

    it('refuses committers, co-authors and mergers, but not a committer that is the author', () => {
      const result = assessEligibility(
        withRun({
          changeSet: changeSet({
            commits: [
              {
                ...commit('1212121aa'),
                committer: { name: 'Alex', account: { login: 'alex-kim' } },
              },
              {
                ...commit('3434343bb'),
                coAuthors: [
                  { name: 'Alex Kim', account: { login: 'Alex-Kim' } },
                ],
              },
            ],
            pullRequests: [
              {
                number: 12,
                title: 'x',
                author: { login: 'dev-patel' },
                mergedBy: { login: 'alex-kim' },
              },
            ],
          }),
        }),
      );
      expect(result.reasons.map(r => r.message)).toEqual([
        'You committed 1 of the commits in this change set (1212121), co-authored 1 of the commits in this change set (3434343) and merged pull request #12; segregation of duties requires someone else to approve',
      ]);
    });

    it('refuses whoever started a run that someone else re-ran', () => {
      const result = assessEligibility(
        withRun({ actor: { login: 'alex-kim' } }),
      );
      expect(result.reasons).toEqual([
        {
          code: 'triggered-run',
          message:
            'You started this deploy, which priya-nair re-ran; segregation of duties requires someone else to approve production',
        },
      ]);
    });

    it('refuses everyone without a change set, saying why', () => {
      const result = assessEligibility(
        withRun({ changeSet: undefined, changeSetUnknown: 'GitHub said 500' }),
      );
      expect(result.reasons).toEqual([
        {
          code: 'change-set-unknown',
          message:
            'The portal could not read the change set of this deploy, so it cannot check segregation of duties: GitHub said 500',
        },
      ]);
    });

    it('refuses everyone when the change set was not read in full', () => {
      const incomplete =
        'The change set has 1001 commits and the portal reads at most 1000, so it cannot check segregation of duties on the rest';
      expect(
        assessEligibility(withRun({ changeSet: changeSet({ incomplete }) }))
          .reasons,
      ).toEqual([{ code: 'change-set-truncated', message: incomplete }]);
    });

    it('refuses everyone when a commit names someone with no GitHub account, listing three', () => {
      const unlinked = (sha: string, name: string): ChangelogCommit => ({
        ...commit(sha),
        author: undefined,
        authorName: name,
      });
      const result = assessEligibility(
        withRun({
          changeSet: changeSet({
            commits: [
              unlinked('1111111aa', 'alex-kim'),
              { ...commit('2222222bb'), committer: { name: 'Build Box' } },
              { ...commit('3333333cc'), coAuthors: [{ name: 'Pat' }] },
              unlinked('4444444dd', 'Sam'),
            ],
          }),
        }),
      );
      expect(result.reasons).toEqual([
        {
          code: 'unlinked-author',
          message: `No GitHub account is linked to the author “alex-kim” of 1111111, the committer “Build Box” of 2222222, the co-author “Pat” of 3333333 and 1 more; ${CANNOT_CHECK}`,
        },
      ]);
    });

    it('lets the trigger and the authors decide when segregation of duties is off', () => {
      const own = withRun({
        triggeringActor: { login: 'alex-kim' },
        changeSet: changeSet({
          commits: [commit('7777777gg', 'alex-kim')],
          pullRequests: [
            { number: 9, title: 'y', author: { login: 'alex-kim' } },
          ],
        }),
      });
      expect(codes({ ...own, segregationOfDuties: false })).toEqual([]);
      const unread = withRun({ changeSet: undefined });
      expect(codes({ ...unread, segregationOfDuties: false })).toEqual([]);
      expect(codes(own)).toEqual(['triggered-run', 'own-change']);
    });
  });

  it('lists every reason at once, in a fixed order', () => {
    const result = assessEligibility(
      input({
        permitted: false,
        githubLogin: 'maya-chen',
        run: {
          ...input().run,
          triggeringActor: { login: 'maya-chen' },
          changeSet: changeSet({ commits: [commit('8888888hh', 'maya-chen')] }),
        },
      }),
    );
    expect(result.canDecide).toBe(false);
    expect(result.reasons.map(r => r.code)).toEqual([
      'missing-permission',
      'not-reviewer',
      'triggered-run',
      'own-change',
    ]);
  });
});

describe('isRequiredReviewer', () => {
  const reviewers = [
    { type: 'Team' as const, name: 'release-approvers' },
    { type: 'User' as const, name: 'Jordan-Lee' },
  ];
  const teams = { 'release-approvers': ['Alex-Kim'] };

  it('finds people listed directly or through a team, whatever the case', () => {
    expect(isRequiredReviewer(reviewers, teams, 'jordan-lee')).toBe(true);
    expect(isRequiredReviewer(reviewers, teams, 'alex-KIM')).toBe(true);
    expect(isRequiredReviewer(reviewers, teams, 'sam-okafor')).toBe(false);
  });

  it('does not take a team slug for a person, nor a person for a team', () => {
    expect(isRequiredReviewer(reviewers, teams, 'release-approvers')).toBe(
      false,
    );
    expect(
      isRequiredReviewer(
        [{ type: 'Team', name: 'jordan-lee' }],
        { 'jordan-lee': [] },
        'jordan-lee',
      ),
    ).toBe(false);
  });
});
