import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DEFAULT_READINESS_GATE } from '@internal/plugin-lexecon-common';
import { readLexeconConfig } from './config';
import { lexeconPlugin } from './plugin';

const read = (lexecon: object) =>
  readLexeconConfig(new ConfigReader({ lexecon }));

describe('readLexeconConfig', () => {
  it('falls back to its defaults without a lexecon block', () => {
    const config = readLexeconConfig(new ConfigReader({}));
    expect(config.refresh).toEqual({
      frequency: { minutes: 5 },
      timeout: { minutes: 10 },
      initialDelay: { seconds: 10 },
      staleAfterMs: 30 * 60_000,
      onDemandWaitMs: 25_000,
      minIntervalMs: 30_000,
      webhookMinIntervalMs: 2_000,
      concurrency: 4,
    });
    expect(config.upstreamTimeoutMs).toBe(10_000);
    expect(config.upstreamRetries).toBe(2);
    expect(config.approvals.readinessGate).toBe(DEFAULT_READINESS_GATE);
    expect(config.approvals.forEnvironment('production')).toEqual({
      mode: 'github-reviewers',
      segregationOfDuties: true,
    });
    expect(config.approvals.forEnvironment('staging')).toEqual({
      mode: 'github-reviewers',
      segregationOfDuties: false,
    });
  });

  it('reads valid settings, including the edges of the gate and zero retries or initial delay', () => {
    const config = read({
      upstreamTimeoutMs: 1,
      upstreamRetries: 0,
      refresh: {
        frequency: '2m',
        initialDelay: { seconds: 0 },
        staleAfter: { hours: 1 },
        onDemandWait: { seconds: 0 },
      },
      approvals: {
        readinessGate: 0,
        environments: {
          production: { mode: 'portal-gate', segregationOfDuties: false },
        },
      },
    });
    expect(config.upstreamTimeoutMs).toBe(1);
    expect(config.upstreamRetries).toBe(0);
    expect(config.refresh).toMatchObject({
      frequency: { minutes: 2 },
      initialDelay: { seconds: 0 },
      staleAfterMs: 3_600_000,
      onDemandWaitMs: 0,
    });
    expect(config.approvals.readinessGate).toBe(0);
    expect(config.approvals.forEnvironment('production')).toEqual({
      mode: 'portal-gate',
      segregationOfDuties: false,
    });
    expect(read({ approvals: { readinessGate: 100 } }).approvals).toMatchObject(
      { readinessGate: 100 },
    );
  });

  it('matches environment names case-insensitively, and no prototype key names one', () => {
    const { approvals } = read({
      approvals: {
        environments: {
          Production: { mode: 'portal-gate' },
          staging: { segregationOfDuties: true },
        },
      },
    });
    expect(approvals.forEnvironment('production')).toEqual({
      mode: 'portal-gate',
      segregationOfDuties: true,
    });
    expect(approvals.forEnvironment('STAGING')).toEqual({
      mode: 'github-reviewers',
      segregationOfDuties: true,
    });
    for (const name of ['constructor', '__proto__', 'toString']) {
      expect(approvals.forEnvironment(name)).toEqual({
        mode: 'github-reviewers',
        segregationOfDuties: false,
      });
    }
    expect(() =>
      read({
        approvals: {
          environments: { production: {}, PRODUCTION: {} },
        },
      }),
    ).toThrow(
      "lexecon.approvals.environments names PRODUCTION twice: GitHub's environment names ignore case",
    );
  });

  it('turns segregation of duties on for every environment with required reviewers unless configured off', () => {
    const { approvals } = read({
      approvals: { environments: { qa: { segregationOfDuties: false } } },
    });
    const gated = { requiresReviewers: true };
    expect(approvals.forEnvironment('Production')).toMatchObject({
      segregationOfDuties: true,
    });
    expect(approvals.forEnvironment('uat', gated)).toMatchObject({
      segregationOfDuties: true,
    });
    expect(
      approvals.forEnvironment('uat', { requiresReviewers: false }),
    ).toMatchObject({ segregationOfDuties: false });
    expect(approvals.forEnvironment('QA', gated)).toMatchObject({
      segregationOfDuties: false,
    });
  });

  it('refuses an unknown approval mode, naming the environment key', () => {
    expect(() =>
      read({
        approvals: { environments: { production: { mode: 'auto-approve' } } },
      }),
    ).toThrow(
      'lexecon.approvals.environments.production.mode must be one of github-reviewers, portal-gate, not "auto-approve"',
    );
  });

  it.each([
    [-1, /lexecon\.approvals\.readinessGate must be between 0 and 100/],
    [100.5, /lexecon\.approvals\.readinessGate must be between 0 and 100/],
    ['ninety', /'lexecon\.approvals\.readinessGate'/],
    [true, /'lexecon\.approvals\.readinessGate'/],
  ])('refuses a readiness gate of %p', (readinessGate, message) => {
    expect(() => read({ approvals: { readinessGate } })).toThrow(message);
  });

  it.each([
    [
      'upstreamTimeoutMs',
      0,
      /lexecon\.upstreamTimeoutMs must be a whole number of at least 1, not 0/,
    ],
    [
      'upstreamTimeoutMs',
      -500,
      /lexecon\.upstreamTimeoutMs must be a whole number of at least 1/,
    ],
    [
      'upstreamTimeoutMs',
      2.5,
      /lexecon\.upstreamTimeoutMs must be a whole number/,
    ],
    ['upstreamTimeoutMs', 'soon', /'lexecon\.upstreamTimeoutMs'/],
    [
      'upstreamRetries',
      -1,
      /lexecon\.upstreamRetries must be a whole number of at least 0, not -1/,
    ],
    ['upstreamRetries', 1.5, /lexecon\.upstreamRetries must be a whole number/],
  ])('refuses %s: %p', (key, value, message) => {
    expect(() => read({ [key]: value })).toThrow(message);
  });

  it.each([
    [
      'timeout',
      { minutes: 0 },
      /lexecon\.refresh\.timeout must be a positive duration/,
    ],
    [
      'frequency',
      { minutes: -5 },
      /lexecon\.refresh\.frequency must be a positive duration/,
    ],
    [
      'staleAfter',
      { seconds: 0 },
      /lexecon\.refresh\.staleAfter must be a positive duration/,
    ],
    [
      'onDemandWait',
      { seconds: -1 },
      /lexecon\.refresh\.onDemandWait must be a non-negative duration/,
    ],
    [
      'initialDelay',
      'PT-5S',
      /lexecon\.refresh\.initialDelay must be a non-negative duration/,
    ],
    ['timeout', 'ten minutes please', /'lexecon\.refresh\.timeout'/],
    ['staleAfter', 30, /'lexecon\.refresh\.staleAfter'/],
    [
      'onDemandWait',
      { seconds: 'x' },
      /'lexecon\.refresh\.onDemandWait\.seconds'/,
    ],
  ])('refuses refresh.%s: %p', (key, value, message) => {
    expect(() => read({ refresh: { [key]: value } })).toThrow(message);
  });
});

describe('lexecon.approvals.claimExpiry', () => {
  it('holds an unfinished decision for 2 minutes unless configured', () => {
    expect(read({}).approvals.claimExpiryMs).toBe(120_000);
    expect(
      read({ approvals: { claimExpiry: { seconds: 5 } } }).approvals
        .claimExpiryMs,
    ).toBe(5_000);
    expect(
      read({ approvals: { claimExpiry: 'PT90S' } }).approvals.claimExpiryMs,
    ).toBe(90_000);
  });

  it.each([
    [
      { seconds: 0 },
      /lexecon\.approvals\.claimExpiry must be a positive duration/,
    ],
    [
      { minutes: -1 },
      /lexecon\.approvals\.claimExpiry must be a positive duration/,
    ],
    ['soon', /'lexecon\.approvals\.claimExpiry'/],
    [{ seconds: 'x' }, /'lexecon\.approvals\.claimExpiry\.seconds'/],
  ])('refuses %p', (claimExpiry, message) => {
    expect(() => read({ approvals: { claimExpiry } })).toThrow(message);
  });
});

describe('the plugin at start-up', () => {
  it('does not start with a bad setting, and says which key is wrong', async () => {
    await expect(
      startTestBackend({
        features: [
          lexeconPlugin,
          mockServices.rootConfig.factory({
            data: { lexecon: { approvals: { readinessGate: 140 } } },
          }),
          catalogServiceMock.factory({ entities: [] }),
        ],
      }),
    ).rejects.toThrow(/lexecon\.approvals\.readinessGate must be between/);
  });

  it('reads the GitHub ETag cache bounds, keeping the defaults for what is not set', () => {
    expect(readLexeconConfig(new ConfigReader({})).githubEtagCache).toEqual({});
    expect(
      readLexeconConfig(
        new ConfigReader({
          lexecon: { github: { etagCache: { ttl: { hours: 2 } } } },
        }),
      ).githubEtagCache,
    ).toEqual({ ttlMs: 7_200_000 });
    expect(() =>
      readLexeconConfig(
        new ConfigReader({
          lexecon: { github: { etagCache: { maxEntries: 0 } } },
        }),
      ),
    ).toThrow('lexecon.github.etagCache.maxEntries must be a whole number');
  });
});
