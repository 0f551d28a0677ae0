import { ChangePopulationRow } from '@internal/plugin-lexecon-common';
import { GithubDeploymentInfo } from '../../sources/github/types';
import { checkChangeCompleteness } from './checkCompleteness';

const API = 'component:default/lexecon-api';
const window = {
  from: '2026-03-01T00:00:00.000Z',
  to: '2026-04-01T00:00:00.000Z',
};

const deployment = (
  id: number,
  createdAt: string,
  extra: Partial<GithubDeploymentInfo> = {},
): GithubDeploymentInfo => ({
  id,
  sha: `sha${id}`,
  environment: 'production',
  createdAt,
  runId: 100 + id,
  state: 'success',
  ...extra,
});

const row = (
  runId: number | undefined,
  startedAt: string,
  sha = 'x',
): ChangePopulationRow => ({
  entityRef: API,
  deployId: runId ? `production:run:${runId}` : `production:helm:${sha}`,
  runId,
  version: 'v1',
  sha,
  startedAt,
  result: 'success',
  approvedBeforeDeploy: true,
  approverNotAuthor: true,
  exceptions: [],
});

describe('checkChangeCompleteness', () => {
  it('finds each deployment of the window by its run, even when the run started before the window', () => {
    const result = checkChangeCompleteness({
      ...window,
      lists: [
        {
          entityRef: API,
          deployments: [
            deployment(1, '2026-03-01T00:00:05Z'),
            deployment(2, '2026-03-15T10:00:00Z'),
          ],
        },
      ],
      rows: [
        row(101, '2026-02-28T23:59:58Z'),
        row(102, '2026-03-15T09:59:00Z'),
      ],
    });
    expect(result).toEqual({
      ...window,
      complete: true,
      expected: 2,
      found: 2,
      missing: [],
      extra: [],
      unreadable: [],
    });
  });

  it('names a deployment missing from the population, and a row GitHub does not list', () => {
    const result = checkChangeCompleteness({
      ...window,
      lists: [
        {
          entityRef: API,
          deployments: [
            deployment(1, '2026-03-10T00:00:00Z'),
            deployment(3, '2026-03-12T00:00:00Z', { runId: undefined }),
            // Outside the window or still running: not expected.
            deployment(4, '2026-04-01T00:00:00Z'),
            deployment(5, '2026-03-20T00:00:00Z', { state: 'in_progress' }),
          ],
        },
      ],
      rows: [
        row(999, '2026-03-11T00:00:00Z'),
        row(undefined, '2026-03-12T00:00:00Z', 'sha3'),
        row(undefined, '2026-03-13T00:00:00Z', 'helm-only'),
      ],
    });
    expect(result).toMatchObject({
      complete: false,
      expected: 2,
      found: 1,
      missing: [
        {
          entityRef: API,
          deploymentId: 1,
          runId: 101,
          sha: 'sha1',
          createdAt: '2026-03-10T00:00:00Z',
          state: 'success',
        },
      ],
      extra: [
        {
          deployId: 'production:run:999',
          reason: 'GitHub lists no production deployment of run 999',
        },
        {
          deployId: 'production:helm:helm-only',
          reason:
            'a Helm release revision with no GitHub deployment of its commit',
        },
      ],
    });
  });

  it('fails closed when a service’s list could not be read', () => {
    const result = checkChangeCompleteness({
      ...window,
      lists: [{ entityRef: API, unreadable: 'GitHub answered 502' }],
      rows: [row(101, '2026-03-10T00:00:00Z')],
    });
    expect(result).toMatchObject({
      complete: false,
      expected: 0,
      missing: [],
      unreadable: [{ entityRef: API, reason: 'GitHub answered 502' }],
    });
  });
});
