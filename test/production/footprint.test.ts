// What a production replica costs in memory, at rest and under a page-view load, printed for the
// sizing in deploy/kubernetes (requests and limits) and the closing notes. Bounded: 2,000
// requests at most, 20 at a time, 120 s at most.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { Cluster, startCluster } from './cluster';
import { api, LEXECON_API, signInToken } from './portalApi';

let cluster: Cluster;
let token: string;

before(async () => {
  cluster = await startCluster({ name: 'footprint', replicas: 1 });
  token = await signInToken('sam-okafor');
});

after(async () => {
  await cluster?.stop();
});

/** Resident set size of a process, in MiB (/proc, Linux). */
function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]);
  return kb / 1024;
}

/** CPU time (user + system) the process has used, in seconds (/proc, Linux). */
function cpuSeconds(pid: number): number {
  const fields = fs
    .readFileSync(`/proc/${pid}/stat`, 'utf8')
    .split(') ')[1]
    .split(' ');
  // utime and stime are fields 14 and 15 of stat; [0] here is field 3.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

test('a production replica at rest and under 2,000 page-view requests', async () => {
  const [replica] = cluster.replicas;
  const pid = replica.process!.pid!;
  // At rest: started, first refresh cycle done, nobody using it.
  await new Promise(r => setTimeout(r, 5_000));
  const restCpu = cpuSeconds(pid);
  const restStarted = Date.now();
  await new Promise(r => setTimeout(r, 10_000));
  const restCores =
    (cpuSeconds(pid) - restCpu) / ((Date.now() - restStarted) / 1000);
  const atRest = rssMiB(pid);

  const paths = [
    `/v1/entities/${LEXECON_API}/overview`,
    `/v1/entities/${LEXECON_API}/sections`,
    `/v1/entities/${LEXECON_API}/deployments`,
    `/v1/entities/${LEXECON_API}/reliability`,
    '/v1/approvals',
  ];
  const TOTAL = 2_000;
  const deadline = Date.now() + 120_000;
  let sent = 0;
  let peak = atRest;
  const statuses = new Map<number, number>();
  const latencies: number[] = [];
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMiB(pid));
  }, 100);
  const worker = async () => {
    while (sent < TOTAL && Date.now() < deadline) {
      const path = paths[sent++ % paths.length];
      const started = performance.now();
      const response = await api(replica, token, path);
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    }
  };
  const began = Date.now();
  const loadCpu = cpuSeconds(pid);
  await Promise.all(Array.from({ length: 20 }, worker));
  clearInterval(sampler);
  const seconds = (Date.now() - began) / 1000;
  const loadCores = (cpuSeconds(pid) - loadCpu) / seconds;
  const afterLoad = rssMiB(pid);
  latencies.sort((x, y) => x - y);
  const p = (q: number) => latencies[Math.ceil(q * latencies.length) - 1];

  assert.equal(latencies.length, TOTAL, 'every request was answered in time');
  assert.deepEqual([...statuses.keys()], [200], JSON.stringify([...statuses]));
  console.log(
    [
      `production replica (Node ${process.versions.node}):`,
      `at rest: RSS ${atRest.toFixed(0)} MiB, CPU ${restCores.toFixed(
        2,
      )} cores;`,
      `under load: RSS peak ${peak.toFixed(0)} MiB (${afterLoad.toFixed(
        0,
      )} MiB after), CPU ${loadCores.toFixed(2)} cores;`,
      `${TOTAL} requests, 20 concurrent, in ${seconds.toFixed(1)} s`,
      `(${(TOTAL / seconds).toFixed(0)}/s, p50 ${p(0.5).toFixed(0)} ms, p95 ${p(
        0.95,
      ).toFixed(0)} ms)`,
    ].join(' '),
  );
});
