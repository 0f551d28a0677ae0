import { dayMs, dayString } from '../aws/costLedger';
import { Sandbox, startSandbox } from '../index';
import { DAY } from '../random';

const NOW = new Date('2026-11-20T15:00:00Z');

interface Allocation {
  name: string;
  properties: Record<string, unknown>;
  window: { start: string; end: string };
  start: string;
  end: string;
  minutes: number;
  cpuCoreRequestAverage: number;
  cpuCoreUsageAverage: number;
  cpuCost: number;
  cpuEfficiency: number;
  ramByteRequestAverage: number;
  ramByteUsageAverage: number;
  ramCost: number;
  ramEfficiency: number;
  pvCost: number;
  networkCost: number;
  totalCost: number;
  totalEfficiency: number;
}
type Sets = Array<Record<string, Allocation>>;

describe('OpenCost allocation API', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ now: NOW, quiet: true });
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => {
    sandbox.clearFaults();
    sandbox.clearRequests();
  });

  async function get(query: Record<string, string>) {
    const res = await fetch(
      `${sandbox.opencostUrl}/allocation?${new URLSearchParams(query)}`,
    );
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      text: await res.text(),
    };
  }

  async function sets(query: Record<string, string>): Promise<Sets> {
    const res = await get(query);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body).toMatchObject({ code: 200, status: 'success' });
    return body.data;
  }

  const week = '2026-11-01T00:00:00Z,2026-11-08T00:00:00Z';
  const sum = (a: Allocation, keys: Array<keyof Allocation>) =>
    keys.reduce((s, k) => s + (a[k] as number), 0);

  it('answers one set per daily step of an RFC3339 window, aggregated by namespace', async () => {
    const data = await sets({
      window: week,
      aggregate: 'namespace',
      step: '1d',
    });
    expect(data).toHaveLength(7);
    expect(data[0]['lexecon-production'].window).toEqual({
      start: '2026-11-01T00:00:00Z',
      end: '2026-11-02T00:00:00Z',
    });
    expect(data[6]['lexecon-production'].window.start).toBe(
      '2026-11-07T00:00:00Z',
    );
    const production = data[0]['lexecon-production'];
    expect(production.minutes).toBe(1440);
    expect(production.properties).toMatchObject({
      namespace: 'lexecon-production',
    });
    expect(production.totalCost).toBeCloseTo(
      sum(production, ['cpuCost', 'ramCost', 'pvCost', 'networkCost']),
      9,
    );
    for (const s of sandbox.services) {
      expect(data[0][s.namespaces.staging].cpuCost).toBeGreaterThan(0);
    }
    expect(data[0].__idle__).toBeUndefined();
  });

  it('names the oversized workload and the pod without a controller by namespace and controller', async () => {
    const [day] = await sets({
      window: '2026-11-01T00:00:00Z,2026-11-02T00:00:00Z',
      aggregate: 'namespace,controller',
    });
    const { namespace, controller } = sandbox.opencost.oversized;
    const oversized = day[`${namespace}/deployment:${controller}`];
    expect(oversized.cpuEfficiency).toBeLessThan(0.15);
    expect(
      oversized.cpuCoreUsageAverage / oversized.cpuCoreRequestAverage,
    ).toBeCloseTo(oversized.cpuEfficiency, 9);
    expect(oversized.properties).toMatchObject({
      namespace,
      controller,
      controllerKind: 'deployment',
    });
    const others = Object.values(day).filter(
      a => a !== oversized && a.cpuCoreRequestAverage > 0.2,
    );
    expect(others.length).toBeGreaterThan(5);
    for (const a of others) expect(a.cpuEfficiency).toBeGreaterThan(0.45);
    expect(day['lexecon-staging/__unallocated__'].cpuCost).toBeGreaterThan(0);
  });

  it('adds the idle allocation with idle=true, or shares it out with shareIdle=true', async () => {
    const query = { window: week, aggregate: 'namespace', accumulate: 'true' };
    const [plain] = await sets(query);
    const [withIdle] = await sets({ ...query, idle: 'true' });
    const [shared] = await sets({ ...query, idle: 'true', shareIdle: 'true' });
    const idle = withIdle.__idle__;
    expect(idle.cpuCost).toBeGreaterThan(0);
    expect(idle.cpuEfficiency).toBe(0);
    expect(idle.properties).toEqual({ cluster: 'cluster-one' });
    expect(plain.__idle__).toBeUndefined();
    expect(shared.__idle__).toBeUndefined();
    const total = (set: Record<string, Allocation>) =>
      Object.values(set).reduce((s, a) => s + a.totalCost, 0);
    expect(total(withIdle)).toBeCloseTo(total(plain) + idle.totalCost, 6);
    expect(total(shared)).toBeCloseTo(total(withIdle), 6);
    const ns = 'lexecon-production';
    const plainCpu = Object.values(plain).reduce((s, a) => s + a.cpuCost, 0);
    expect(shared[ns].cpuCost / plain[ns].cpuCost).toBeCloseTo(
      1 + idle.cpuCost / plainCpu,
      6,
    );
  });

  it('answers only the namespaces a filter names', async () => {
    const [day] = await sets({
      window: '2026-11-01T00:00:00Z,2026-11-02T00:00:00Z',
      aggregate: 'namespace,controller',
      filter: 'namespace:"lexecon-staging","decision-ledger-production"',
    });
    expect(Object.keys(day)).toEqual([
      'decision-ledger-production/deployment:decision-ledger',
      'lexecon-staging/__unallocated__',
      'lexecon-staging/deployment:lexecon',
    ]);
  });

  it('keeps 13 months of allocations and nothing before them', async () => {
    const start = dayMs(sandbox.opencost.calendar.start);
    const data = await sets({
      window: `${start / 1000 - 86400},${start / 1000 + 86400}`,
      aggregate: 'namespace',
      step: '1d',
    });
    expect(data).toHaveLength(2);
    expect(data[0]).toEqual({});
    expect(data[1]['lexecon-production'].start).toBe(
      `${dayString(start)}T00:00:00Z`,
    );
    expect(sandbox.opencost.calendar.start).toBe('2025-11-01');
  });

  it('reads a duration window backwards from now in steps', async () => {
    const data = await sets({ window: '3d', aggregate: 'cluster', step: '1d' });
    expect(data).toHaveLength(3);
    const last = data[2]['cluster-one'];
    expect(Date.parse(last.window.end)).toBeGreaterThanOrEqual(NOW.getTime());
    expect(Date.parse(last.window.end) - Date.parse(last.window.start)).toBe(
      DAY,
    );
  });

  it.each([
    [{ window: 'nope' }, "Invalid 'window' parameter: illegal window: nope"],
    [{}, "Missing 'window' parameter"],
    [
      { window: '7d', step: 'daily' },
      "Invalid 'step' parameter: illegal duration: daily",
    ],
    [
      { window: '7d', aggregate: 'namespace,team' },
      "Invalid 'aggregate' parameter: unrecognized allocation property: team",
    ],
    [
      { window: '7d', idle: 'yes' },
      `Invalid 'idle' parameter: strconv.ParseBool: parsing "yes": invalid syntax`,
    ],
  ])('refuses %j with a 400 as OpenCost does', async (query, message) => {
    const res = await get(query as Record<string, string>);
    expect(res.status).toBe(400);
    expect(res.type).toBe('text/plain; charset=utf-8');
    expect(res.text).toBe(`${message}\n`);
  });

  it('logs each call and injects faults', async () => {
    sandbox.setFaults([
      { source: 'opencost', kind: '5xx', status: 503, times: 1 },
    ]);
    expect((await get({ window: '1d' })).status).toBe(503);
    expect((await get({ window: '1d' })).status).toBe(200);
    expect(sandbox.requests().map(r => [r.source, r.status])).toEqual([
      ['opencost', 503],
      ['opencost', 200],
    ]);
  });
});
