import {
  EVIDENCE_UPLOAD_TYPES,
  EVIDENCE_UPLOAD_MEDIA_TYPES,
  EvidenceUploadType,
} from '@internal/plugin-lexecon-common';
import { extname } from 'node:path';
import { TextDecoder } from 'node:util';

/** Binary types by the bytes every file of the type starts with. */
const SIGNATURES: Array<{ type: EvidenceUploadType; bytes: number[] }> = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  {
    type: 'image/png',
    bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
];

const NAMES: Record<EvidenceUploadType, string> = {
  'application/pdf': 'a PDF document',
  'image/png': 'a PNG image',
  'image/jpeg': 'a JPEG image',
  'text/csv': 'CSV text',
  'text/plain': 'plain text',
  'text/markdown': 'Markdown text',
  'application/json': 'JSON',
};

const TEXT_TYPES = new Set<EvidenceUploadType>([
  'text/csv',
  'text/plain',
  'text/markdown',
  'application/json',
]);

export type UploadCheck =
  | { ok: true; mediaType: EvidenceUploadType }
  | { ok: false; message: string };

function byExtension(fileName: string): EvidenceUploadType | undefined {
  const extension = extname(fileName).toLowerCase();
  return EVIDENCE_UPLOAD_MEDIA_TYPES.find(t =>
    (EVIDENCE_UPLOAD_TYPES[t] as readonly string[]).includes(extension),
  );
}

function isBinaryText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && (code < 0x09 || code > 0x0d)) return true;
  }
  return false;
}

/** What the content is, from its signature; `text` when it is UTF-8 without control bytes. */
function sniff(content: Buffer): EvidenceUploadType | 'text' | undefined {
  const signed = SIGNATURES.find(s =>
    s.bytes.every((byte, i) => content[i] === byte),
  );
  if (signed) return signed.type;
  try {
    const decoded = new TextDecoder('utf-8', { fatal: true }).decode(content);
    // NUL and other C0 controls (tab, newlines and form feed aside) mean a binary file.
    return isBinaryText(decoded) ? undefined : 'text';
  } catch {
    return undefined;
  }
}

/**
 * The media type an upload is stored with, or why it is refused. The type is the declared one (or,
 * for a generic declaration such as application/octet-stream, the file name's extension); it must
 * be on the allow-list, agree with the file name's extension, and with the content: a PDF, PNG or
 * JPEG by its signature, a text type by being UTF-8 text (JSON also by parsing).
 */
export function checkUploadType(upload: {
  fileName: string;
  declaredType: string;
  content: Buffer;
}): UploadCheck {
  const declared = upload.declaredType.split(';')[0].trim().toLowerCase();
  const fromName = byExtension(upload.fileName);
  const generic = !declared || declared === 'application/octet-stream';
  const mediaType = (generic ? fromName : declared) as EvidenceUploadType;
  const allowed = EVIDENCE_UPLOAD_MEDIA_TYPES.join(', ');
  if (!EVIDENCE_UPLOAD_MEDIA_TYPES.includes(mediaType)) {
    return {
      ok: false,
      message: generic
        ? `The file name '${upload.fileName}' has no extension of an allowed type (${allowed})`
        : `The type ${declared} is not allowed; allowed: ${allowed}`,
    };
  }
  if (fromName !== mediaType) {
    return {
      ok: false,
      message: `The file name '${
        upload.fileName
      }' does not end in an extension of ${mediaType} (${EVIDENCE_UPLOAD_TYPES[
        mediaType
      ].join(', ')})`,
    };
  }
  const found = sniff(upload.content);
  const matches = TEXT_TYPES.has(mediaType)
    ? found === 'text'
    : found === mediaType;
  if (!matches) {
    let what = 'not a type the portal recognises';
    if (found === 'text') what = 'text';
    else if (found) what = NAMES[found];
    return {
      ok: false,
      message: `The content of '${upload.fileName}' is ${what}, not ${NAMES[mediaType]} as declared`,
    };
  }
  if (mediaType === 'application/json') {
    try {
      JSON.parse(upload.content.toString('utf8'));
    } catch {
      return {
        ok: false,
        message: `The content of '${upload.fileName}' is not valid JSON`,
      };
    }
  }
  return { ok: true, mediaType };
}
