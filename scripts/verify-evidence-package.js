#!/usr/bin/env node
// Verifies a Lexecon evidence package with nothing but Node (18 or later):
//
//   node verify-evidence-package.js <package.zip> <signing-key.pem>
//
// The package is a BagIt bag (RFC 8493) in a zip. This checks that bagit.txt declares BagIt 1.0
// in UTF-8; that every payload file (data/...) is listed in manifest-sha256.txt with its SHA-256
// and every listed file is there; that bag-info.txt's Payload-Oxum (bytes.files) matches the
// payload; that tagmanifest-sha256.txt lists bagit.txt, bag-info.txt and manifest-sha256.txt with
// their SHA-256; and that tagmanifest-sha256.txt.sig is an Ed25519 signature of
// tagmanifest-sha256.txt by the public key given (take it from the portal's evidence page, or
// from whoever vouches for it, never from the package). Exit code 0 when everything holds, 1
// with each problem on stderr otherwise. Equivalent signature check with OpenSSL 3:
//   openssl pkeyutl -verify -pubin -inkey signing-key.pem -rawin \
//     -in tagmanifest-sha256.txt -sigfile tagmanifest-sha256.txt.sig
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const zlib = require('node:zlib');

/** The files of a zip, by name, as Buffers (store and deflate; no zip64, no encryption). */
function readZip(zip) {
  const eocdMin = 22;
  let eocd = -1;
  for (let i = zip.length - eocdMin; i >= 0 && i >= zip.length - 65557; i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  if (at === 0xffffffff || count === 0xffff) {
    throw new Error('zip64 archives are not supported by this verifier');
  }
  const files = new Map();
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) {
      throw new Error('the zip central directory is damaged');
    }
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (zip.readUInt32LE(local) !== 0x04034b50) {
      throw new Error(`${name}: its local header is damaged`);
    }
    const start =
      local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + compressedSize);
    let data;
    if (method === 0) data = raw;
    else if (method === 8) data = zlib.inflateRawSync(raw);
    else
      throw new Error(`${name}: compression method ${method} is not supported`);
    if (data.length !== size) {
      throw new Error(
        `${name}: ${data.length} bytes where the zip says ${size}`,
      );
    }
    if (files.has(name)) throw new Error(`${name} is in the zip twice`);
    files.set(name, data);
  }
  return files;
}

const sha256 = data => crypto.createHash('sha256').update(data).digest('hex');
const decodePath = path =>
  path.replace(/%(0A|0D|25)/gi, (_, hex) =>
    String.fromCharCode(parseInt(hex, 16)),
  );

/** `<sha256>  <path>` lines, by path; problems for lines that are not. */
function parseManifest(text, name, problems) {
  const entries = new Map();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const match = /^([0-9a-f]{64}) +(.+)$/.exec(line);
    if (!match) {
      problems.push(
        `${name}: a line is not "<sha256>  <path>": ${line.slice(0, 80)}`,
      );
      continue;
    }
    entries.set(decodePath(match[2]), match[1]);
  }
  return entries;
}

/** bag-info.txt's fields (continuation lines joined), by label. */
function parseBagInfo(text) {
  const fields = new Map();
  let last;
  for (const line of text.split('\n')) {
    if (/^[ \t]/.test(line) && last) {
      fields.set(last, `${fields.get(last)}\n${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    last = line.slice(0, colon).trim();
    fields.set(last, line.slice(colon + 1).trim());
  }
  return fields;
}

/** Checks every hash listed in `manifest` against `files`; returns how many were checked. */
function checkHashes(manifest, files, name, problems) {
  for (const [path, expected] of manifest) {
    const data = files.get(path);
    if (!data)
      problems.push(`${name} lists ${path}, which is not in the package`);
    else if (sha256(data) !== expected) {
      problems.push(
        `${path}: its SHA-256 is not the one ${name} lists (the file was changed)`,
      );
    }
  }
}

/**
 * Verifies the package's bytes against the public key (PEM). Returns `{ ok, problems, bagInfo }`:
 * ok only when every check passed.
 */
function verifyEvidencePackage(zip, publicKeyPem) {
  const problems = [];
  let files;
  try {
    files = readZip(zip);
  } catch (error) {
    return {
      ok: false,
      problems: [`the zip cannot be read: ${error.message}`],
      bagInfo: {},
    };
  }
  const text = name => files.get(name)?.toString('utf8');

  const bagit = text('bagit.txt');
  if (bagit !== 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n') {
    problems.push(
      'bagit.txt is missing or does not declare BagIt-Version 1.0 in UTF-8',
    );
  }

  const manifestText = text('manifest-sha256.txt');
  const manifest = parseManifest(
    manifestText ?? '',
    'manifest-sha256.txt',
    problems,
  );
  if (manifestText === undefined)
    problems.push('manifest-sha256.txt is missing');
  checkHashes(manifest, files, 'manifest-sha256.txt', problems);
  let bytes = 0;
  let count = 0;
  for (const [name, data] of files) {
    if (!name.startsWith('data/') || name.endsWith('/')) continue;
    bytes += data.length;
    count++;
    if (!manifest.has(name)) {
      problems.push(`${name} is in the payload but not in manifest-sha256.txt`);
    }
  }
  for (const path of manifest.keys()) {
    if (!path.startsWith('data/')) {
      problems.push(
        `manifest-sha256.txt lists ${path}, outside the payload directory`,
      );
    }
  }

  const bagInfo = parseBagInfo(text('bag-info.txt') ?? '');
  if (!files.has('bag-info.txt')) problems.push('bag-info.txt is missing');
  const oxum = bagInfo.get('Payload-Oxum');
  if (oxum !== `${bytes}.${count}`) {
    problems.push(
      `Payload-Oxum is ${
        oxum ?? 'missing'
      } but the payload is ${bytes} bytes in ${count} files`,
    );
  }

  const tagManifestBytes = files.get('tagmanifest-sha256.txt');
  const tagManifest = parseManifest(
    tagManifestBytes?.toString('utf8') ?? '',
    'tagmanifest-sha256.txt',
    problems,
  );
  if (!tagManifestBytes) problems.push('tagmanifest-sha256.txt is missing');
  for (const required of ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt']) {
    if (!tagManifest.has(required)) {
      problems.push(`tagmanifest-sha256.txt does not list ${required}`);
    }
  }
  checkHashes(tagManifest, files, 'tagmanifest-sha256.txt', problems);

  const signature = files.get('tagmanifest-sha256.txt.sig');
  if (!signature || !tagManifestBytes) {
    problems.push(
      'tagmanifest-sha256.txt.sig is missing: the package is not signed',
    );
  } else {
    let valid = false;
    try {
      valid = crypto.verify(
        null,
        tagManifestBytes,
        crypto.createPublicKey(publicKeyPem),
        signature,
      );
    } catch (error) {
      problems.push(`the signature cannot be checked: ${error.message}`);
    }
    if (!valid && !problems.some(p => p.startsWith('the signature'))) {
      problems.push(
        'the signature of tagmanifest-sha256.txt does not verify with this public key (another key signed it, or the tag manifest was changed)',
      );
    }
  }
  return {
    ok: problems.length === 0,
    problems,
    bagInfo: Object.fromEntries(bagInfo),
  };
}

module.exports = { verifyEvidencePackage };

if (require.main === module) {
  const [zipPath, keyPath] = process.argv.slice(2);
  if (!zipPath || !keyPath) {
    process.stderr.write(
      'usage: node verify-evidence-package.js <package.zip> <signing-key.pem>\n',
    );
    process.exit(2);
  }
  const result = verifyEvidencePackage(
    fs.readFileSync(zipPath),
    fs.readFileSync(keyPath, 'utf8'),
  );
  if (result.ok) {
    const info = result.bagInfo;
    process.stdout.write(
      `OK: ${
        info['Payload-Oxum']
      } (bytes.files) verified, signed by the given key; ${
        info['External-Identifier'] ?? ''
      }\n`,
    );
    process.exit(0);
  }
  for (const problem of result.problems)
    process.stderr.write(`FAIL: ${problem}\n`);
  process.exit(1);
}
