import { FeatureFlagsOverview } from '@internal/plugin-lexecon-common';
import { DatadogSnapshot } from '../../sources/datadog/types';
import {
  auditChainObservations,
  changePopulationUnreadObservation,
  datadogObservations,
  flagChangesObservation,
} from './derivedObservations';

const at = {
  entityRef: 'component:default/lexecon-api',
  collected: new Date('2026-03-05T00:00:00.000Z'),
  cadence: 'continuous' as const,
};

describe('derived observations', () => {
  it('fails every item resting on the audit chain when it is broken, naming where', () => {
    const broken = auditChainObservations(
      {
        ok: false,
        checked: 41,
        firstBroken: { id: 42, reason: 'its content does not match its hash' },
      },
      { collected: at.collected, cadence: 'daily' },
    );
    expect(broken.map(o => [o.itemId, o.status])).toEqual([
      ['cc7.2-audit-chain', 'failing'],
      ['gdpr32-audit-chain', 'failing'],
      ['gdpr5-retention-audit-logs', 'failing'],
    ]);
    expect(broken[0].reason).toBe(
      'The audit chain is broken after 41 records: its content does not match its hash',
    );
    expect(broken[0].entityRef).toBeUndefined();
    expect(
      auditChainObservations(
        { ok: true, checked: 3, headHash: 'a'.repeat(64) },
        { collected: at.collected, cadence: 'daily' },
      )[0],
    ).toMatchObject({
      status: 'passing',
      reason: '3 audit records verify, head aaaaaaaaaaaa',
    });
  });

  it('fails production flag changes that name no one, and flags never read', () => {
    const change = (
      id: number,
      createdBy: string,
      environment = 'production',
    ) => ({
      id,
      featureName: 'new-scorer',
      type: 'feature-environment-enabled',
      environment,
      createdBy,
      createdAt: '2026-03-01T10:00:00.000Z',
      description: `enabled in ${environment}`,
    });
    const flags = (
      history: ReturnType<typeof change>[],
    ): FeatureFlagsOverview => ({
      project: 'lexecon',
      environments: ['staging', 'production'],
      flags: [
        {
          name: 'new-scorer',
          type: 'release',
          stale: false,
          environments: [],
          history,
        },
      ],
    });
    expect(
      flagChangesObservation(
        flags([change(1, 'maya-chen'), change(2, '', 'staging')]),
        'production',
        at,
      ),
    ).toMatchObject({ status: 'passing', facts: { changeCount: 1 } });
    expect(
      flagChangesObservation(
        flags([change(1, 'maya-chen'), change(2, ' ')]),
        'production',
        at,
      ),
    ).toMatchObject({
      status: 'failing',
      reason: '1 of 2 production flag changes name no one or no time',
    });
    expect(flagChangesObservation(undefined, 'production', at).status).toBe(
      'failing',
    );
  });

  it('fails the SLA below its target and both items when Datadog was never read', () => {
    const datadog = {
      slo: { id: 'slo', name: 'API availability', targetPercent: 99.9 },
      monthToDate: {
        from: '2026-03-01',
        to: '2026-03-05',
        uptimePercent: 99.5,
      },
      months: [],
      monitors: [],
      incidents: [
        {
          id: 'i1',
          publicId: 1,
          title: 'Pool exhausted',
          severity: 'SEV-2',
          state: 'resolved',
          startedAt: '2026-03-02T10:00:00.000Z',
          resolvedAt: '2026-03-02T11:00:00.000Z',
          timeToResolveSeconds: 3600,
        },
      ],
    } as DatadogSnapshot;
    const [incidents, sla] = datadogObservations(datadog, at);
    expect(incidents).toMatchObject({
      status: 'passing',
      reason: '1 incident recorded, 0 open',
      facts: { incidents: [{ id: 'i1', timeToResolveSeconds: 3600 }] },
    });
    expect(sla).toMatchObject({
      status: 'failing',
      reason: 'Uptime 99.5% month to date against a 99.9% SLO: breached',
    });
    expect(datadogObservations(undefined, at).map(o => o.status)).toEqual([
      'failing',
      'failing',
    ]);
  });

  it('fails the change population while the deploy history it comes from was never read', () => {
    expect(
      changePopulationUnreadObservation(
        ['GitHub’s deploy history', 'Helm’s release history'],
        at,
      ),
    ).toMatchObject({
      itemId: 'cc8.1-change-population',
      status: 'failing',
      reason:
        'The change population is unknown: GitHub’s deploy history and Helm’s release history not read yet',
      facts: { unread: ['GitHub’s deploy history', 'Helm’s release history'] },
    });
  });
});
