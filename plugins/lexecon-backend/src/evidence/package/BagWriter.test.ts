import archiver from 'archiver';
import { generateKeyPairSync, sign } from 'node:crypto';
import { PassThrough } from 'node:stream';
import yauzl from 'yauzl';
// The auditor's verifier is a standalone script (Node only, no package), so it is tested from here.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { verifyEvidencePackage } from '../../../../../scripts/verify-evidence-package';
import { BagWriter } from './BagWriter';

const keys = generateKeyPairSync('ed25519');
const publicPem = keys.publicKey
  .export({ type: 'spki', format: 'pem' })
  .toString();

function collect(stream: PassThrough): Promise<Buffer> {
  const chunks: Buffer[] = [];
  stream.on('data', c => chunks.push(c));
  return new Promise((resolve, reject) => {
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

async function* rows(count: number) {
  yield 'id,value\r\n';
  for (let i = 0; i < count; i++) yield `${i},value ${i}\r\n`;
}

async function writeBag(files: Record<string, string | AsyncIterable<string>>) {
  const out = new PassThrough();
  const bytes = collect(out);
  const bag = new BagWriter(out, new Date('2026-12-01T06:00:00Z'));
  for (const [path, content] of Object.entries(files)) {
    await bag.addPayload(path, content);
  }
  await bag.finish({
    bagInfo: [['External-Identifier', 'lexecon-evidence-test']],
    sign: data => sign(null, data, keys.privateKey),
  });
  return bytes;
}

/** Every entry of a zip, read with yauzl (another reader than the verifier's). */
function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, file) => {
      if (error || !file) return reject(error);
      const entries = new Map<string, Buffer>();
      file.on('entry', (entry: yauzl.Entry) => {
        file.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', c => chunks.push(c));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            file.readEntry();
          });
          return undefined;
        });
      });
      file.on('end', () => resolve(entries));
      file.readEntry();
      return undefined;
    });
  });
}

async function rezip(entries: Map<string, Buffer>): Promise<Buffer> {
  const archive = archiver('zip');
  const out = new PassThrough();
  const bytes = collect(out);
  archive.pipe(out);
  for (const [name, data] of entries) archive.append(data, { name });
  await archive.finalize();
  return bytes;
}

describe('BagWriter and the package verifier', () => {
  const files = () => ({
    'controls.json': '{"controls":[]}\n',
    'populations/changes.csv': rows(2000),
  });

  it('writes a BagIt bag whose every hash, Payload-Oxum and signature verify', async () => {
    const zip = await writeBag(files());
    const entries = await unzip(zip);
    expect([...entries.keys()]).toEqual([
      'data/controls.json',
      'data/populations/changes.csv',
      'bagit.txt',
      'bag-info.txt',
      'manifest-sha256.txt',
      'tagmanifest-sha256.txt',
      'tagmanifest-sha256.txt.sig',
    ]);
    expect(entries.get('bagit.txt')!.toString()).toBe(
      'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n',
    );
    const csv = entries.get('data/populations/changes.csv')!;
    expect(csv.toString().split('\r\n')).toHaveLength(2002);
    const info = entries.get('bag-info.txt')!.toString();
    expect(info).toContain('Bagging-Date: 2026-12-01\n');
    expect(info).toContain(`Payload-Oxum: ${csv.length + 16}.2\n`);
    expect(entries.get('manifest-sha256.txt')!.toString()).toMatch(
      /^[0-9a-f]{64} {2}data\/controls\.json\n[0-9a-f]{64} {2}data\/populations\/changes\.csv\n$/,
    );
    expect(verifyEvidencePackage(zip, publicPem)).toEqual({
      ok: true,
      problems: [],
      bagInfo: expect.objectContaining({
        'External-Identifier': 'lexecon-evidence-test',
      }),
    });
  });

  it('fails a package with one byte flipped', async () => {
    const zip = await writeBag(files());
    const flipped = Buffer.from(zip);
    flipped[60] ^= 0x01;
    expect(verifyEvidencePackage(flipped, publicPem).ok).toBe(false);
  });

  it('names a payload file changed after packaging, and one added', async () => {
    const entries = await unzip(await writeBag(files()));
    entries.set('data/controls.json', Buffer.from('{"controls":[1]}\n'));
    entries.set('data/extra.txt', Buffer.from('x'));
    const { ok, problems } = verifyEvidencePackage(
      await rezip(entries),
      publicPem,
    );
    expect(ok).toBe(false);
    expect(problems).toEqual(
      expect.arrayContaining([
        'data/controls.json: its SHA-256 is not the one manifest-sha256.txt lists (the file was changed)',
        'data/extra.txt is in the payload but not in manifest-sha256.txt',
        expect.stringMatching(/^Payload-Oxum is \d+\.2 but the payload is/),
      ]),
    );
  });

  it('names a tag file changed after signing', async () => {
    const entries = await unzip(await writeBag(files()));
    entries.set(
      'bag-info.txt',
      Buffer.from(`${entries.get('bag-info.txt')!.toString()}Note: x\n`),
    );
    expect(
      verifyEvidencePackage(await rezip(entries), publicPem).problems,
    ).toEqual([
      'bag-info.txt: its SHA-256 is not the one tagmanifest-sha256.txt lists (the file was changed)',
    ]);
  });

  it('fails the signature with another public key', async () => {
    const other = generateKeyPairSync('ed25519')
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(
      verifyEvidencePackage(await writeBag(files()), other).problems,
    ).toEqual([
      'the signature of tagmanifest-sha256.txt does not verify with this public key (another key signed it, or the tag manifest was changed)',
    ]);
  });
});
