import { Sandbox, startSandbox } from '@internal/sandbox';
import { addDays } from '../../cost/calendar';
import { UpstreamError } from '../types';
import { OpenCostClient } from './OpenCostClient';

const NOW = new Date('2026-11-20T15:00:00Z');
const NAMESPACES = ['lexecon-staging', 'lexecon-production'];

describe('OpenCostClient against the sandbox', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ now: NOW, quiet: true });
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => {
    sandbox.clearFaults();
    sandbox.clearRequests();
  });

  const client = (baseUrl = sandbox.opencostUrl) =>
    new OpenCostClient({ baseUrl, timeoutMs: 5000, retries: 0 });

  it('reads one set per UTC day, by namespace and controller, with idle apart', async () => {
    const sets = await client().dailyAllocations(
      '2026-11-01',
      '2026-11-04',
      NAMESPACES,
    );

    expect(sets.map(s => s.day)).toEqual([
      '2026-11-01',
      '2026-11-02',
      '2026-11-03',
    ]);
    const [first] = sets;
    const { namespace, controller } = sandbox.opencost.oversized;
    const api = first.allocations[`${namespace}/deployment:${controller}`];
    expect(api.cpuCoreUsageAverage).toBeLessThan(
      api.cpuCoreRequestAverage * 0.15,
    );
    expect(first.allocations['lexecon-staging/__unallocated__']).toBeDefined();
    expect(
      Object.keys(first.allocations).every(name =>
        NAMESPACES.includes(name.split('/')[0]),
      ),
    ).toBe(true);
    expect(Object.keys(first.cluster).sort()).toEqual([
      '__idle__',
      'cluster-one',
    ]);
    expect(first.cluster.__idle__.cpuCost).toBeGreaterThan(0);
    const params = sandbox
      .requests()
      .map(r => new URL(r.path, 'http://x').searchParams);
    expect(params.map(p => p.get('window'))).toEqual([
      '2026-11-01T00:00:00Z,2026-11-04T00:00:00Z',
      '2026-11-01T00:00:00Z,2026-11-04T00:00:00Z',
    ]);
    expect(params[0].get('filter')).toBe(
      'namespace:"lexecon-staging","lexecon-production"',
    );
  });

  it('gives an empty set for a day before OpenCost has data', async () => {
    const start = sandbox.opencost.calendar.start;
    const sets = await client().dailyAllocations(
      addDays(start, -1),
      addDays(start, 1),
      NAMESPACES,
    );
    expect(
      sets.map(s => [s.day, Object.keys(s.allocations).length > 0]),
    ).toEqual([
      [addDays(start, -1), false],
      [start, true],
    ]);
  });

  it("passes on OpenCost's reason for refusing a query", async () => {
    await expect(
      client().dailyAllocations('2026-11-04', '2026-11-01', NAMESPACES),
    ).rejects.toThrow(
      "OpenCost refused the query for the allocations from 2026-11-04 to 2026-11-01: Invalid 'window' parameter: illegal window: 2026-11-04T00:00:00Z,2026-11-01T00:00:00Z: end is before start",
    );
  });

  it.each([
    [
      { kind: '5xx' as const, status: 503 },
      'OpenCost failed to answer the allocations from 2026-11-01 to 2026-11-02 (HTTP 503)',
    ],
    [
      { kind: 'malformed' as const },
      'OpenCost sent a malformed response (not JSON) for the allocations from 2026-11-01 to 2026-11-02',
    ],
  ])(
    'says what went wrong when OpenCost fails (%j)',
    async (fault, message) => {
      sandbox.setFaults([{ source: 'opencost', ...fault }]);
      const failure = client().dailyAllocations(
        '2026-11-01',
        '2026-11-02',
        NAMESPACES,
      );
      await expect(failure).rejects.toBeInstanceOf(UpstreamError);
      await expect(failure).rejects.toThrow(message);
    },
  );

  it('names the setting when the address has no allocation API', async () => {
    await expect(
      client(`${sandbox.opencostUrl}/nothing-here`).dailyAllocations(
        '2026-11-01',
        '2026-11-02',
        NAMESPACES,
      ),
    ).rejects.toThrow(/404 .* check lexecon.opencost.baseUrl/);
  });
});
