import archiver from 'archiver';
import { createHash } from 'node:crypto';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export type BagContent =
  | string
  | Buffer
  | Iterable<string | Buffer>
  | AsyncIterable<string | Buffer>;

/** The tag files every bag has, in the order they are written. */
export const TAG_FILES = [
  'bagit.txt',
  'bag-info.txt',
  'manifest-sha256.txt',
] as const;
export const TAG_MANIFEST = 'tagmanifest-sha256.txt';
/** The detached Ed25519 signature (64 raw bytes) over tagmanifest-sha256.txt. */
export const SIGNATURE_FILE = `${TAG_MANIFEST}.sig`;

const BAGIT_TXT = 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n';

interface Written {
  path: string;
  sha256: string;
  bytes: number;
}

/** RFC 8493 §2.1.3: CR, LF and % are percent-encoded in a manifest's file paths. */
const manifestPath = (path: string) =>
  path.replace(
    /[%\r\n]/g,
    c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

const manifestOf = (files: readonly Written[]) =>
  files.map(f => `${f.sha256}  ${manifestPath(f.path)}\n`).join('');

/** RFC 8493 §2.2.2: `Label: value`, a value's line breaks continued by indentation. */
function bagInfoText(fields: ReadonlyArray<[string, string]>) {
  return fields
    .map(([label, value]) => `${label}: ${value.replace(/\r?\n/g, '\n  ')}\n`)
    .join('');
}

/**
 * Writes a BagIt bag (RFC 8493) as a zip into `output`, one file after the other: each payload
 * file is hashed as its bytes pass into the zip, so the manifests are written at the end from
 * the digests alone and no file is held in memory. Backpressure from `output` (an HTTP
 * response) slows the reading of the rows.
 */
export class BagWriter {
  private readonly archive = archiver('zip', { zlib: { level: 6 } });
  private readonly payload: Written[] = [];
  private readonly done: Promise<void>;
  /** The entry being written, stopped if the output fails (the client went away). */
  private current?: Transform;

  constructor(output: Writable, private readonly date: Date) {
    this.done = pipeline(this.archive, output);
    this.done.catch(error => this.current?.destroy(error));
  }

  /** Adds `data/<path>`; resolves when its last byte has been hashed and handed to the zip. */
  async addPayload(path: string, content: BagContent): Promise<void> {
    if (path.startsWith('/') || path.split('/').includes('..')) {
      throw new Error(`Payload path ${path} leaves the payload directory`);
    }
    this.payload.push(await this.addFile(`data/${path}`, content));
  }

  /**
   * Writes the tag files (bagit.txt, bag-info.txt with Payload-Oxum and Bagging-Date added,
   * manifest-sha256.txt, tagmanifest-sha256.txt) and the signature of the tag manifest, then
   * ends the zip.
   */
  async finish(options: {
    bagInfo: ReadonlyArray<[string, string]>;
    sign: (tagManifest: Buffer) => Buffer;
  }): Promise<{ payloadOxum: string; tagManifest: string }> {
    const bytes = this.payload.reduce((sum, f) => sum + f.bytes, 0);
    const payloadOxum = `${bytes}.${this.payload.length}`;
    const bagInfo = bagInfoText([
      ['Bagging-Date', this.date.toISOString().slice(0, 10)],
      ['Payload-Oxum', payloadOxum],
      ...options.bagInfo,
    ]);
    const tags = [
      await this.addFile('bagit.txt', BAGIT_TXT),
      await this.addFile('bag-info.txt', bagInfo),
      await this.addFile('manifest-sha256.txt', manifestOf(this.payload)),
    ];
    const tagManifest = manifestOf(tags);
    await this.addFile(TAG_MANIFEST, tagManifest);
    await this.addFile(
      SIGNATURE_FILE,
      options.sign(Buffer.from(tagManifest, 'utf8')),
    );
    await this.archive.finalize();
    await this.done;
    return { payloadOxum, tagManifest };
  }

  /** Stops the zip after a failure: the output ends with an error, never as a complete bag. */
  abort(error: Error) {
    this.archive.abort();
    this.archive.destroy(error);
  }

  private async addFile(path: string, content: BagContent): Promise<Written> {
    const hash = createHash('sha256');
    let bytes = 0;
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        bytes += chunk.length;
        callback(null, chunk);
      },
    });
    this.current = hashing;
    this.archive.append(hashing, { name: path, date: this.date });
    const source =
      typeof content === 'string' || Buffer.isBuffer(content)
        ? Readable.from([Buffer.from(content)])
        : Readable.from(content);
    await pipeline(source, hashing);
    return { path, sha256: hash.digest('hex'), bytes };
  }
}
