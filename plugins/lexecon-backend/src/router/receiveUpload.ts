import { CustomErrorBase, InputError } from '@backstage/errors';
import { EVIDENCE_UPLOAD_FIELD } from '@internal/plugin-lexecon-common';
import { Request, Response } from 'express';
import multer from 'multer';

/** 413: the upload is over `lexecon.evidence.uploads.maxBytes`. */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  statusCode = 413;
}

export interface ReceivedUpload {
  fileName: string;
  declaredType: string;
  content: Buffer;
  fields: Record<string, unknown>;
}

/** A file name as stored and offered back: its last path segment, without control characters. */
function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  return [...base]
    .filter(c => c.charCodeAt(0) >= 0x20 && c !== '\u007f' && c !== '"')
    .join('')
    .trim()
    .slice(0, 255);
}

/**
 * Reads one multipart upload into memory, at most `maxBytes` of file: over that it stops reading
 * and refuses with 413. A request without the file, with another file field or several files is a
 * 400 that says what to send.
 */
export function uploadReceiver(maxBytes: number) {
  const single = multer({
    storage: multer.memoryStorage(),
    defParamCharset: 'utf8',
    limits: { fileSize: maxBytes, files: 1, fields: 4, fieldSize: 4096 },
  }).single(EVIDENCE_UPLOAD_FIELD);

  return (req: Request, res: Response): Promise<ReceivedUpload> =>
    new Promise((resolve, reject) => {
      single(req, res, (error: unknown) => {
        if (error instanceof multer.MulterError) {
          reject(
            error.code === 'LIMIT_FILE_SIZE'
              ? new PayloadTooLargeError(
                  `The file is larger than the ${maxBytes} bytes allowed (lexecon.evidence.uploads.maxBytes)`,
                )
              : new InputError(
                  `Invalid upload: ${error.message}${
                    error.field ? ` (field '${error.field}')` : ''
                  }; send one file as the multipart field '${EVIDENCE_UPLOAD_FIELD}'`,
                ),
          );
          return;
        }
        if (error) {
          reject(new InputError(`Invalid upload: ${String(error)}`));
          return;
        }
        const file = req.file;
        if (!file) {
          reject(
            new InputError(
              `Invalid upload: no file; send it as the multipart/form-data field '${EVIDENCE_UPLOAD_FIELD}'`,
            ),
          );
          return;
        }
        resolve({
          fileName: cleanFileName(file.originalname),
          declaredType: file.mimetype ?? '',
          content: file.buffer,
          fields: { ...(req.body ?? {}) },
        });
      });
    });
}
