import { Sandbox, serviceEntities, startSandbox } from '../index';

const NOW = new Date('2026-11-20T15:00:00Z');

interface Page {
  kind: string;
  jobComplete: boolean;
  jobReference: { projectId: string; jobId: string; location: string };
  schema?: { fields: Array<{ name: string; type: string }> };
  totalRows?: string;
  pageToken?: string;
  rows?: Array<{ f: Array<{ v: string | null }> }>;
}

describe('BigQuery over the billing export', () => {
  let sandbox: Sandbox;
  let table: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ now: NOW, quiet: true });
    const b = sandbox.gcpBilling;
    table = `\`${b.projectId}.${b.dataset}.${b.table}\``;
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => {
    sandbox.clearFaults();
    sandbox.clearRequests();
  });

  const sql = (from = table, partition = true) =>
    `SELECT DATE(usage_start_time) AS day,
       (SELECT value FROM UNNEST(labels) WHERE key = @component_key) AS component,
       currency, SUM(cost) AS cost,
       SUM(IFNULL((SELECT SUM(c.amount) FROM UNNEST(credits) c), 0)) AS credits
     FROM ${from}
     WHERE ${partition ? 'DATE(_PARTITIONTIME) >= @from AND' : ''}
       usage_start_time >= TIMESTAMP(@from) AND usage_start_time < TIMESTAMP(@to)
       AND (SELECT COUNT(DISTINCT l.key) FROM UNNEST(labels) l
            WHERE CONCAT(l.key, '=', l.value) IN UNNEST(@labels)) = @label_keys
     GROUP BY day, component, currency ORDER BY day, component, currency`;

  function request(opts: {
    from: string;
    to: string;
    labels?: string[];
    query?: string;
    maxResults?: number;
    maximumBytesBilled?: string;
    useLegacySql?: boolean;
  }) {
    const labels = opts.labels ?? ['service=lexecon-api'];
    const param = (name: string, type: string, value: string) => ({
      name,
      parameterType: { type },
      parameterValue: { value },
    });
    return {
      query: opts.query ?? sql(),
      useLegacySql: opts.useLegacySql ?? false,
      parameterMode: 'NAMED',
      location: 'US',
      maxResults: opts.maxResults,
      maximumBytesBilled: opts.maximumBytesBilled,
      queryParameters: [
        param('from', 'DATE', opts.from),
        param('to', 'DATE', opts.to),
        {
          name: 'labels',
          parameterType: { type: 'ARRAY', arrayType: { type: 'STRING' } },
          parameterValue: { arrayValues: labels.map(value => ({ value })) },
        },
        param(
          'label_keys',
          'INT64',
          String(new Set(labels.map(l => l.split('=')[0])).size),
        ),
        param('component_key', 'STRING', 'component'),
      ],
    };
  }

  const cells = (body: Page) => (body.rows ?? []).map(r => r.f.map(c => c.v));

  const auth = (token = sandbox.bigqueryToken) => ({
    authorization: `Bearer ${token}`,
  });

  async function query(body: unknown, headers = auth()) {
    const res = await fetch(
      `${sandbox.bigqueryUrl}/bigquery/v2/projects/lexecon-portal/queries`,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
    );
    return { status: res.status, body: await res.json() };
  }

  async function results(job: Page['jobReference'], params = {}) {
    const res = await fetch(
      `${sandbox.bigqueryUrl}/bigquery/v2/projects/${job.projectId}/queries/${
        job.jobId
      }?${new URLSearchParams({ location: job.location, ...params })}`,
      { headers: auth() },
    );
    return { status: res.status, body: await res.json() };
  }

  it('refuses a request without a valid OAuth bearer token, in its error shape', async () => {
    const missing = await query(
      request({ from: '2026-11-01', to: '2026-11-02' }),
      {
        authorization: '',
      },
    );
    expect(missing.status).toBe(401);
    expect(missing.body.error).toMatchObject({
      code: 401,
      status: 'UNAUTHENTICATED',
      errors: [{ reason: 'required', domain: 'global' }],
    });
    const wrong = await query(
      request({ from: '2026-11-01', to: '2026-11-02' }),
      auth('someone-elses-token'),
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.errors[0].reason).toBe('authError');
  });

  it('answers a long query incompletely first, then in pages of maxResults with its schema', async () => {
    const { calendar } = sandbox.gcpBilling;
    const first = await query(
      request({ from: calendar.start, to: calendar.end, maxResults: 1000 }),
    );
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      kind: 'bigquery#queryResponse',
      jobComplete: false,
    });
    expect(first.body.rows).toBeUndefined();

    const rows: Array<Array<string | null>> = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await results(first.body.jobReference, {
        maxResults: '1000',
        ...(token && { pageToken: token }),
      });
      expect(page.status).toBe(200);
      const body: Page = page.body;
      expect(body).toMatchObject({
        kind: 'bigquery#getQueryResultsResponse',
        jobComplete: true,
      });
      expect(body.schema?.fields.map(f => `${f.name}:${f.type}`)).toEqual([
        'day:DATE',
        'component:STRING',
        'currency:STRING',
        'cost:FLOAT',
        'credits:FLOAT',
      ]);
      expect(body.rows!.length).toBeLessThanOrEqual(1000);
      rows.push(...body.rows!.map(r => r.f.map(c => c.v)));
      token = body.pageToken;
      pages++;
    } while (token);
    expect(pages).toBeGreaterThan(1);
    const days = new Set(rows.map(r => r[0]));
    expect([...days][0]).toBe(calendar.start);
    expect([...days].pop()).toBe('2026-11-19');
    // Every day: the SKU without a component label (NULL first), then five components.
    expect(rows.filter(r => r[0] === '2026-11-19').map(r => r[1])).toEqual([
      null,
      'database-backups',
      'database-primary',
      'kubernetes-compute',
      'monitoring',
      'storage',
    ]);
    expect(rows.every(r => r[2] === 'USD' && Number(r[3]) > 0)).toBe(true);
  });

  it('carries credits in one month only, each below the cost it reduces', async () => {
    const month = sandbox.gcpBilling.creditMonth;
    const { body } = await query(
      request({ from: `${month}-01`, to: `${month}-08` }),
    );
    expect(body.jobComplete).toBe(true);
    const compute = cells(body).filter(r => r[1] === 'kubernetes-compute');
    expect(compute).toHaveLength(7);
    for (const r of compute) {
      expect(Number(r[4])).toBeCloseTo(-0.4 * Number(r[3]), 4);
    }
    const before = await query(
      request({ from: '2026-07-01', to: '2026-07-08' }),
    );
    expect(month).toBe('2026-08');
    expect(cells(before.body).every(r => Number(r[4]) === 0)).toBe(true);
  });

  it('selects rows by every listed label key', async () => {
    const range = { from: '2026-11-10', to: '2026-11-12' };
    const storage = await query(
      request({
        ...range,
        labels: ['service=lexecon-api', 'component=storage'],
      }),
    );
    expect(cells(storage.body).map(r => r[1])).toEqual(['storage', 'storage']);
    const nobody = await query(
      request({ ...range, labels: ['service=nobody'] }),
    );
    expect(nobody.body).toMatchObject({ jobComplete: true, totalRows: '0' });
  });

  it('bills each portfolio service under the labels its catalog entity names', async () => {
    const entities = serviceEntities(sandbox.services, sandbox.healthUrl);
    expect(entities).toHaveLength(4);
    for (const entity of entities) {
      const labels =
        entity.metadata.annotations['lexecon.io/gcp-billing-labels'].split(',');
      const { body } = await query(
        request({ from: '2026-11-18', to: '2026-11-19', labels }),
      );
      expect(body.totalRows).toBe('6');
    }
  });

  it('fails a query that would bill more bytes than maximumBytesBilled', async () => {
    const range = { from: '2026-11-01', to: '2026-11-19' };
    const low = await query(request({ ...range, maximumBytesBilled: '1000' }));
    expect(low.status).toBe(400);
    expect(low.body.error).toMatchObject({
      code: 400,
      message:
        'Query exceeded limit for bytes billed: 1000. 10485760 or higher required.',
      errors: [{ reason: 'bytesBilledLimitExceeded' }],
    });
    const enough = await query(
      request({ ...range, maximumBytesBilled: '10485760' }),
    );
    expect(enough.status).toBe(200);
  });

  it('refuses a query without a partition filter, legacy SQL, and another table', async () => {
    const range = { from: '2026-11-01', to: '2026-11-02' };
    const unfiltered = await query(
      request({ ...range, query: sql(table, false) }),
    );
    expect(unfiltered.status).toBe(400);
    expect(unfiltered.body.error.message).toMatch(
      /without a filter over column\(s\) .*'_PARTITIONTIME'/,
    );
    const legacy = await query(request({ ...range, useLegacySql: true }));
    expect(legacy.status).toBe(400);
    expect(legacy.body.error.errors[0].reason).toBe('invalidQuery');
    const other = await query(
      request({
        ...range,
        query: sql('`lexecon-billing.billing_export.other`'),
      }),
    );
    expect(other.status).toBe(404);
    expect(other.body.error.errors[0].reason).toBe('notFound');
  });

  it('injects faults with its error body and logs every call as bigquery', async () => {
    sandbox.setFaults([
      { source: 'bigquery', kind: '5xx', status: 503, times: 1 },
    ]);
    const failed = await query(
      request({ from: '2026-11-01', to: '2026-11-02' }),
    );
    expect(failed.status).toBe(503);
    expect(failed.body.error).toMatchObject({
      code: 503,
      status: 'UNAVAILABLE',
    });
    const next = await query(request({ from: '2026-11-01', to: '2026-11-02' }));
    expect(next.status).toBe(200);
    expect(
      sandbox.requests().map(r => `${r.source} ${r.method} ${r.status}`),
    ).toEqual(['bigquery POST 503', 'bigquery POST 200']);
  });
});
