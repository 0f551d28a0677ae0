import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  EntitySections,
  SourceState,
} from '@internal/plugin-lexecon-common';
import { Sandbox, startSandbox } from '@internal/sandbox';
import request from 'supertest';
import {
  lexeconApiWithReliability,
  reliabilityConfig,
} from '../__fixtures__/reliability';
import { sandboxConfig } from '../__fixtures__/testConfig';
import { lexeconPlugin } from '../plugin';

jest.setTimeout(60_000);

const auth = { Authorization: mockCredentials.user.header() };
const sectionsPath =
  '/api/lexecon/v1/entities/default/component/lexecon-api/sections?include=deployments,approvals,flags';
const RESTRICTED = ['github', 'github-approvals', 'kubernetes', 'unleash'];

describe('allow-lists of GitHub organisations, Kubernetes namespaces and Unleash projects', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ quiet: true });
  });
  afterAll(async () => {
    await sandbox.stop();
  });
  beforeEach(() => sandbox.clearRequests());

  async function sourcesWith(lists: {
    organizations: string[];
    namespaces: string[];
    projects: string[];
  }) {
    const base = sandboxConfig(sandbox).lexecon;
    const reliability = reliabilityConfig(sandbox);
    const { server } = await startTestBackend({
      features: [
        lexeconPlugin,
        mockServices.rootConfig.factory({
          data: sandboxConfig(sandbox, {
            ...reliability,
            github: {
              ...base.github,
              allowedOrganizations: lists.organizations,
            },
            kubernetes: {
              ...base.kubernetes,
              allowedNamespaces: lists.namespaces,
            },
            unleash: {
              ...reliability.unleash,
              allowedProjects: lists.projects,
            },
          }),
        }),
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        catalogServiceMock.factory({
          entities: [lexeconApiWithReliability(sandbox)],
        }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      ],
    });
    const response = await request(server).get(sectionsPath).set(auth);
    expect(response.status).toBe(200);
    const { sections } = response.body as EntitySections;
    const states = new Map<string, SourceState>();
    for (const section of Object.values(sections)) {
      for (const state of section.sources) states.set(state.source, state);
    }
    return { server, states };
  }

  const requestsTo = (sources: string[]) =>
    sandbox.requests().filter(r => sources.includes(r.source));

  it('shows an entity outside the lists as not configured, naming the rule, and asks nothing upstream', async () => {
    const { server, states } = await sourcesWith({
      organizations: ['acme'],
      namespaces: ['acme-*'],
      projects: ['billing', 'payments'],
    });
    const slug = 'github.com/project-slug lexecon-ai/lexecon';
    expect(states.get('github')).toEqual({
      source: 'github',
      status: 'not-configured',
      message: `${slug} is outside lexecon.github.allowedOrganizations (acme)`,
      missingAnnotations: [],
    });
    expect(states.get('github-approvals')?.message).toBe(
      `${slug} is outside lexecon.github.allowedOrganizations (acme)`,
    );
    expect(states.get('kubernetes')).toMatchObject({
      status: 'not-configured',
      message:
        'the staging namespace lexecon-staging of Helm release lexecon is outside lexecon.kubernetes.allowedNamespaces (acme-*)',
    });
    expect(states.get('unleash')).toMatchObject({
      status: 'not-configured',
      message: `lexecon.io/unleash-project ${sandbox.unleashProject} is outside lexecon.unleash.allowedProjects (billing, payments)`,
    });
    // Nor does a decision on one of its runs ask GitHub anything.
    const decision = await request(server)
      .post(
        '/api/lexecon/v1/entities/default/component/lexecon-api/approvals/4242/production',
      )
      .set(auth)
      .send({ decision: 'approved', comment: 'Staging is healthy' });
    expect(decision.status).toBe(404);
    expect(decision.body.error.message).toBe(
      `${slug} is outside lexecon.github.allowedOrganizations (acme)`,
    );
    expect(requestsTo(RESTRICTED)).toEqual([]);
  });

  it('reads an entity inside the lists: organisations in any case, namespaces by pattern', async () => {
    const { states } = await sourcesWith({
      organizations: ['acme', 'Lexecon-AI'],
      namespaces: ['lexecon-*'],
      projects: [sandbox.unleashProject],
    });
    for (const source of RESTRICTED) {
      expect(states.get(source)?.status).toBe('ok');
    }
    expect(new Set(requestsTo(RESTRICTED).map(r => r.source))).toEqual(
      new Set(['github', 'kubernetes', 'unleash']),
    );
  });
});
