import {
  GithubEvidenceFacts,
  GithubEvidenceObservation,
  usableGithubEvidence,
} from './githubEvidence';

const latest: GithubEvidenceObservation = {
  entityRef: 'component:default/lexecon-api',
  collected: '2026-11-20T15:00:00.000Z',
  expires: '2026-11-21T17:00:00.000Z',
  facts: { repository: 'lexecon-ai/lexecon' } as GithubEvidenceFacts,
};

describe('usableGithubEvidence', () => {
  it('uses the latest observation until the moment it expires', () => {
    expect(
      usableGithubEvidence({ latest }, new Date('2026-11-21T16:59:59.999Z')),
    ).toEqual({ usable: true, observation: latest });
    expect(usableGithubEvidence({ latest }, new Date(latest.expires))).toEqual({
      usable: false,
      reason: `the last read of GitHub (${latest.collected}) expired at ${latest.expires}`,
    });
  });

  it('fails closed when never read, or when a later read failed', () => {
    const now = new Date('2026-11-20T16:00:00Z');
    expect(usableGithubEvidence({}, now)).toEqual({
      usable: false,
      reason: 'GitHub has not been read for it yet',
    });
    expect(
      usableGithubEvidence(
        {
          latest,
          failure: { at: '2026-11-20T15:30:00.000Z', reason: 'GitHub 502' },
        },
        now,
      ),
    ).toEqual({
      usable: false,
      reason:
        'GitHub could not be read at 2026-11-20T15:30:00.000Z: GitHub 502',
    });
  });
});
