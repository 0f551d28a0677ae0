import {
  DiscoveryApi,
  discoveryApiRef,
  FetchApi,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  EVIDENCE_UPLOAD_FIELD,
  EvidenceAttachment,
  EvidenceAttachmentList,
  EvidenceNotApplicable,
  GdprRegisters,
} from '@internal/plugin-lexecon-common';
import { useMemo } from 'react';

const enc = encodeURIComponent;

const json = (method: string, body: object): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

export type GdprRegisterName = 'processing-records' | 'requests' | 'breaches';

/**
 * Evidence owners record in the portal: attachments and not-applicable marks of evidence items,
 * and the GDPR registers. A refused request throws a ResponseError carrying the server's words.
 */
export class RecordedEvidenceClient {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  async attachments(itemId: string): Promise<EvidenceAttachmentList> {
    return (await this.call(`/items/${enc(itemId)}/attachments`)).json();
  }

  async attach(
    itemId: string,
    upload: { file: File; effectiveDate: string; note?: string },
  ): Promise<EvidenceAttachment> {
    const form = new FormData();
    form.append('effectiveDate', upload.effectiveDate);
    if (upload.note) form.append('note', upload.note);
    form.append(EVIDENCE_UPLOAD_FIELD, upload.file, upload.file.name);
    const response = await this.call(`/items/${enc(itemId)}/attachments`, {
      method: 'POST',
      body: form,
    });
    return response.json();
  }

  async download(itemId: string, id: number): Promise<Blob> {
    return (await this.call(`/items/${enc(itemId)}/attachments/${id}`)).blob();
  }

  async markNotApplicable(
    itemId: string,
    reason: string,
  ): Promise<EvidenceNotApplicable> {
    return (
      await this.call(
        `/items/${enc(itemId)}/not-applicable`,
        json('POST', { reason }),
      )
    ).json();
  }

  async withdrawNotApplicable(itemId: string): Promise<void> {
    await this.call(`/items/${enc(itemId)}/not-applicable`, {
      method: 'DELETE',
    });
  }

  async gdprRegisters(): Promise<GdprRegisters> {
    return (await this.call('/gdpr')).json();
  }

  async addToRegister(register: GdprRegisterName, body: object): Promise<void> {
    await this.call(`/gdpr/${register}`, json('POST', body));
  }

  /** Replaces one register entry: `body` is the whole entry, as for `addToRegister`. */
  async updateRegisterEntry(
    register: GdprRegisterName,
    id: number,
    body: object,
  ): Promise<void> {
    await this.call(`/gdpr/${register}/${id}`, json('PUT', body));
  }

  private async call(path: string, init?: RequestInit): Promise<Response> {
    const base = await this.options.discoveryApi.getBaseUrl('lexecon');
    const response = await this.options.fetchApi.fetch(
      `${base}/v1/evidence${path}`,
      init,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response;
  }
}

/** The server's own words for a refusal (a ResponseError's body), else the error's message. */
export function serverMessage(error: unknown): string {
  if (error instanceof ResponseError) {
    return error.body?.error?.message ?? error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

export function useRecordedEvidenceClient(): RecordedEvidenceClient {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  return useMemo(
    () => new RecordedEvidenceClient({ discoveryApi, fetchApi }),
    [discoveryApi, fetchApi],
  );
}
