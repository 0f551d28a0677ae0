import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  Control,
  EvidenceAttachmentList,
  evidenceAttachmentFieldsSchema,
  evidenceNotApplicableBodySchema,
} from '@internal/plugin-lexecon-common';
import { createHash } from 'node:crypto';
import express from 'express';
import Router from 'express-promise-router';
import { checkUploadType } from '../evidence/recorded/detectUploadType';
import { RECORDED_SOURCE } from '../evidence/recorded/recordedObservations';
import { RecordedEvidenceStore } from '../evidence/recorded/RecordedEvidenceStore';
import { evidenceAccess } from './evidenceAccess';
import { parseInput } from './parseInput';
import { uploadReceiver } from './receiveUpload';

export interface RecordedEvidenceRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: readonly Control[];
  recorded: RecordedEvidenceStore;
  maxUploadBytes: number;
  now?: () => Date;
}

/**
 * Evidence owners record in the portal under /v1/evidence/items/:itemId: attachments (upload,
 * list, download) and the not-applicable mark. Only items the catalog says are recorded in the
 * portal take them. Every check runs before anything is stored; the store then writes the
 * attachment with its audit record in one transaction.
 */
export async function createRecordedEvidenceRouter(
  options: RecordedEvidenceRouterOptions,
): Promise<express.Router> {
  const { recorded, catalog } = options;
  const access = evidenceAccess(options.httpAuth, options.permissions);
  const receive = uploadReceiver(options.maxUploadBytes);
  const now = () => options.now?.() ?? new Date();
  const router = Router();
  router.use(
    '/v1/evidence/items/:itemId/not-applicable',
    express.json({ limit: '16kb' }),
  );

  function recordedItem(itemId: string) {
    const item = catalog.flatMap(c => c.items).find(i => i.id === itemId);
    if (!item) {
      throw new NotFoundError(`No evidence item '${itemId}' in the catalog`);
    }
    if (item.source !== RECORDED_SOURCE) {
      throw new InputError(
        `Evidence item '${itemId}' is collected by the ${item.source} source, not recorded by its owners`,
      );
    }
    return item;
  }

  router.post('/v1/evidence/items/:itemId/attachments', async (req, res) => {
    const by = await access.requireWriter(req);
    const item = recordedItem(req.params.itemId);
    const upload = await receive(req, res);
    const fields = parseInput(
      evidenceAttachmentFieldsSchema,
      upload.fields,
      'body',
    );
    if (fields.effectiveDate > now().toISOString().slice(0, 10)) {
      throw new InputError(
        `Invalid request: body parameter 'effectiveDate' (${fields.effectiveDate}) is after today: evidence is of something that happened`,
      );
    }
    if (!upload.fileName) {
      throw new InputError('Invalid upload: the file has no name');
    }
    if (!upload.content.length) {
      throw new InputError(`Invalid upload: '${upload.fileName}' is empty`);
    }
    const type = checkUploadType(upload);
    if (!type.ok) throw new InputError(`Invalid upload: ${type.message}`);
    const attachment = await recorded.attach({
      itemId: item.id,
      fileName: upload.fileName,
      mediaType: type.mediaType,
      content: upload.content,
      sha256: createHash('sha256').update(upload.content).digest('hex'),
      effectiveDate: fields.effectiveDate,
      ...(fields.note ? { note: fields.note } : {}),
      by,
    });
    res.status(201).json(attachment);
  });

  router.get('/v1/evidence/items/:itemId/attachments', async (req, res) => {
    await access.requireRead(req);
    const item = recordedItem(req.params.itemId);
    const [attachments, [notApplicable]] = await Promise.all([
      recorded.list(item.id),
      recorded.notApplicable([item.id]),
    ]);
    const body: EvidenceAttachmentList = {
      itemId: item.id,
      attachments,
      ...(notApplicable ? { notApplicable } : {}),
    };
    res.json(body);
  });

  router.get('/v1/evidence/items/:itemId/attachments/:id', async (req, res) => {
    await access.requireRead(req);
    const item = recordedItem(req.params.itemId);
    const id = Number(req.params.id);
    const found = Number.isSafeInteger(id)
      ? await recorded.download(item.id, id)
      : undefined;
    if (!found) {
      throw new NotFoundError(
        `No attachment ${req.params.id} on evidence item '${item.id}'`,
      );
    }
    res
      .status(200)
      .type(found.attachment.mediaType)
      .attachment(found.attachment.fileName)
      .set('X-Content-Type-Options', 'nosniff')
      .set('Content-Security-Policy', "sandbox; default-src 'none'")
      .set('X-Lexecon-Sha256', found.attachment.sha256)
      .send(found.content);
  });

  router.post('/v1/evidence/items/:itemId/not-applicable', async (req, res) => {
    const by = await access.requireWriter(req);
    const item = recordedItem(req.params.itemId);
    const { reason } = parseInput(
      evidenceNotApplicableBodySchema,
      req.body ?? {},
      'body',
    );
    res.status(201).json(await recorded.markNotApplicable(item.id, reason, by));
  });

  router.delete(
    '/v1/evidence/items/:itemId/not-applicable',
    async (req, res) => {
      const by = await access.requireWriter(req);
      const item = recordedItem(req.params.itemId);
      if (!(await recorded.withdrawNotApplicable(item.id, by))) {
        throw new NotFoundError(
          `Evidence item '${item.id}' is not marked not applicable`,
        );
      }
      res.status(204).end();
    },
  );

  return router;
}
