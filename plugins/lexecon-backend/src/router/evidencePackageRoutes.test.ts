import { createHash } from 'node:crypto';
import { fakeOnlyDate } from '@internal/test-setup';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import {
  AuditPage,
  ChangePopulation,
  ChangePopulationCompleteness,
  EvidenceSample,
  EvidenceSigningKeyView,
} from '@internal/plugin-lexecon-common';
import { Sandbox, startSandbox } from '@internal/sandbox';
import request from 'supertest';
import yauzl from 'yauzl';
// The auditor's verifier is a standalone script (Node only, no package), so it is tested from here.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { verifyEvidencePackage } from '../../../../scripts/verify-evidence-package';
import {
  collectEvidence,
  EVIDENCE_API as EVIDENCE,
  evidenceAuth as auth,
  startEvidenceBackend,
} from '../evidence/__testUtils__/evidenceBackend';
import { PermissionQuery } from '../__fixtures__/permissions';

jest.setTimeout(90_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15', 'POSTGRES_16', 'POSTGRES_17'],
});

const NOW = new Date('2026-04-01T10:00:00.000Z');
const window = {
  from: new Date(NOW.getTime() - 90 * 86_400_000).toISOString(),
  to: NOW.toISOString(),
};

function binary(
  res: NodeJS.ReadableStream,
  callback: (error: Error | null, body: Buffer) => void,
) {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

/** One file of a zip, read with yauzl (another reader than the verifier's). */
function fileOf(zip: Buffer, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, file) => {
      if (error || !file) return reject(error);
      file.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return file.readEntry();
        return file.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          return binary(stream, (_, body) => resolve(body.toString('utf8')));
        });
      });
      file.on('end', () => reject(new Error(`${name} is not in the zip`)));
      file.readEntry();
      return undefined;
    });
  });
}

describe.each(databases.eachSupportedId())(
  'evidence samples and package on %s',
  id => {
    let sandbox: Sandbox;

    beforeAll(async () => {
      fakeOnlyDate(NOW, { advance: true });
      sandbox = await startSandbox({ quiet: true });
    });
    afterAll(async () => {
      await sandbox.stop();
      jest.useRealTimers();
    });

    const startBackend = async (decide?: (q: PermissionQuery) => boolean) =>
      startEvidenceBackend(sandbox, await databases.init(id), decide);

    it('draws the same sample for the same seed, another for another seed, and refuses a size above the population', async () => {
      const server = await startBackend();
      await collectEvidence(server);
      const sample = async (seed: string, size = 4) =>
        (
          await request(server)
            .get(`${EVIDENCE}/populations/changes/sample`)
            .query({ ...window, size, seed })
            .set(auth)
            .expect(200)
        ).body as EvidenceSample<'changes'>;
      const first = await sample('audit-2026');
      const again = await sample('audit-2026');
      const other = await sample('audit-2027');
      expect(first).toMatchObject({ seed: 'audit-2026', size: 4 });
      expect(first.rows.map(r => r.key)).toEqual(again.rows.map(r => r.key));
      expect(other.rows.map(r => r.key)).not.toEqual(
        first.rows.map(r => r.key),
      );
      expect(first.rows[0].key).toBe(
        `${first.rows[0].row.entityRef} ${first.rows[0].row.deployId}`,
      );

      const random = await request(server)
        .get(`${EVIDENCE}/populations/changes/sample`)
        .query({ ...window, size: 1 })
        .set(auth)
        .expect(200);
      expect(random.body.seed).toMatch(/^[0-9a-f]{24}$/);

      const tooBig = await request(server)
        .get(`${EVIDENCE}/populations/changes/sample`)
        .query({ ...window, size: first.populationSize + 1, seed: 's' })
        .set(auth)
        .expect(400);
      expect(tooBig.body.error.message).toBe(
        `Invalid request: query parameter 'size' size ${
          first.populationSize + 1
        } is larger than the population (${
          first.populationSize
        } rows): test the whole population instead`,
      );
    });

    it('finds every GitHub production deployment of the window in the change population, and fails closed before GitHub was read', async () => {
      const server = await startBackend();
      const before = await request(server)
        .get(`${EVIDENCE}/populations/changes/completeness`)
        .query(window)
        .set(auth)
        .expect(200);
      expect(before.body as ChangePopulationCompleteness).toMatchObject({
        complete: false,
        unreadable: [
          {
            entityRef: 'component:default/lexecon-api',
            reason: expect.stringContaining('have not been read'),
          },
        ],
      });

      await collectEvidence(server);
      const { body } = await request(server)
        .get(`${EVIDENCE}/populations/changes/completeness`)
        .query(window)
        .set(auth)
        .expect(200);
      const check = body as ChangePopulationCompleteness;
      const githubLists = sandbox.world.deployments.filter(
        d =>
          d.environment === 'production' &&
          d.createdAt >= window.from &&
          d.createdAt < window.to &&
          !['queued', 'in_progress'].includes(d.statuses.at(-1)?.state ?? ''),
      );
      expect(githubLists.length).toBeGreaterThan(5);
      expect(check).toMatchObject({
        complete: true,
        expected: githubLists.length,
        found: githubLists.length,
        missing: [],
        unreadable: [],
      });
    });

    it('streams a signed BagIt package whose every hash verifies with the served key, and audits it', async () => {
      const server = await startBackend();
      await collectEvidence(server);
      const key = (
        await request(server)
          .get(`${EVIDENCE}/signing-key`)
          .set(auth)
          .expect(200)
      ).body as EvidenceSigningKeyView;
      expect(key).toMatchObject({
        algorithm: 'Ed25519',
        insecure: expect.stringContaining('changes at every restart'),
      });

      // An owner's restore test, effective in the window: its bytes travel in the package.
      const report = Buffer.from(
        '%PDF-1.7\nrestore test: 12 min, checksums match\n',
      );
      const attached = await request(server)
        .post(`${EVIDENCE}/items/a1.2-backup-restore/attachments`)
        .set(auth)
        .field('effectiveDate', '2026-03-30')
        .attach('file', report, {
          filename: 'restore test #3.pdf',
          contentType: 'application/pdf',
        })
        .expect(201);

      const response = await request(server)
        .get(`${EVIDENCE}/package`)
        .query({ ...window, seed: 'pkg-1' })
        .set(auth)
        .buffer(true)
        .parse((res, callback) =>
          binary(res as unknown as NodeJS.ReadableStream, callback),
        )
        .expect(200);
      const zip = response.body as Buffer;
      expect(response.headers['content-type']).toBe('application/zip');
      const verified = verifyEvidencePackage(zip, key.publicKeyPem!);
      expect(verified.problems).toEqual([]);
      expect(verified.bagInfo).toMatchObject({
        'Lexecon-Window-From': window.from,
        'Lexecon-Window-To': window.to,
        'Lexecon-Sample-Seed': 'pkg-1',
        'Lexecon-Signing-Key-SHA256': key.fingerprint,
        'Bag-Software-Agent': expect.stringMatching(
          /^@internal\/plugin-lexecon-backend \d+\.\d+\.\d+$/,
        ),
      });

      const population = (
        await request(server)
          .get(`${EVIDENCE}/populations/changes`)
          .query(window)
          .set(auth)
          .expect(200)
      ).body as ChangePopulation;
      const packaged = JSON.parse(
        await fileOf(zip, 'data/populations/changes.json'),
      );
      expect(packaged).toMatchObject({
        parameters: window,
        rowCount: population.rowCount,
        query: expect.stringContaining('production'),
      });
      expect(packaged.rows).toEqual(population.rows);
      const csv = await fileOf(zip, 'data/populations/changes.csv');
      expect(csv.trimEnd().split('\r\n')).toHaveLength(population.rowCount + 1);
      const sample = JSON.parse(await fileOf(zip, 'data/samples/changes.json'));
      expect(sample).toMatchObject({
        seed: 'pkg-1',
        populationSize: population.rowCount,
      });
      const attachments = JSON.parse(
        await fileOf(zip, 'data/evidence/attachments.json'),
      );
      expect(attachments.attachments).toEqual([
        expect.objectContaining({
          id: attached.body.id,
          itemId: 'a1.2-backup-restore',
          sha256: createHash('sha256').update(report).digest('hex'),
          path: `data/evidence/attachments/a1.2-backup-restore/${attached.body.id}-restore_test__3.pdf`,
        }),
      ]);
      expect(await fileOf(zip, attachments.attachments[0].path)).toBe(
        report.toString('utf8'),
      );
      const chain = JSON.parse(
        await fileOf(zip, 'data/audit/verification.json'),
      );
      expect(chain.verification).toMatchObject({ ok: true });

      const trail = (
        await request(server).get('/api/lexecon/v1/audit').set(auth).expect(200)
      ).body as AuditPage;
      const record = trail.items.find(
        r => r.action === 'evidence-package-generated',
      );
      expect(record).toMatchObject({
        actor: mockCredentials.user().principal.userEntityRef,
        details: {
          from: window.from,
          to: window.to,
          seed: 'pkg-1',
          outcome: 'written',
          payloadOxum: verified.bagInfo['Payload-Oxum'],
          externalIdentifier: verified.bagInfo['External-Identifier'],
        },
      });
    });

    it('refuses a bad parameter naming it, and a caller without lexecon.evidence.read', async () => {
      const server = await startBackend(
        q => q.permission !== 'lexecon.evidence.read',
      );
      const kind = await request(server)
        .get(`${EVIDENCE}/populations/deploys/sample`)
        .query({ size: 3 })
        .set(auth)
        .expect(400);
      expect(kind.body.error.message).toContain("path parameter 'kind'");
      const size = await request(server)
        .get(`${EVIDENCE}/populations/incidents/sample`)
        .query({ size: 0 })
        .set(auth)
        .expect(400);
      expect(size.body.error.message).toContain("query parameter 'size'");
      const seed = await request(server)
        .get(`${EVIDENCE}/populations/incidents/sample`)
        .query({ size: 1, seed: 'a b' })
        .set(auth)
        .expect(400);
      expect(seed.body.error.message).toContain("query parameter 'seed'");
      for (const path of [
        '/populations/flag-changes/sample?size=1',
        '/populations/changes/completeness',
        '/package',
        '/signing-key',
      ]) {
        await request(server).get(`${EVIDENCE}${path}`).set(auth).expect(403);
      }
    });
  },
);
