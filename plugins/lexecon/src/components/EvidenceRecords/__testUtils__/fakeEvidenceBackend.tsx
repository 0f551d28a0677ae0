import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  MockPermissionApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { ComponentProps, ReactNode } from 'react';

export interface FakeAnswer {
  status: number;
  body: object;
}

/** A Backstage error body, as the backend's error handler writes it. */
export const refusal = (status: number, name: string, message: string) => ({
  status,
  body: {
    error: { name, message },
    request: { method: 'POST', url: '/' },
    response: { statusCode: status },
  },
});

/**
 * The lexecon backend as the evidence components see it through fetchApi: `answer` decides each
 * response from the method and path; every request is recorded.
 */
export function fakeEvidenceBackend(
  answer: (method: string, path: string) => FakeAnswer,
) {
  const sent: Array<{ method: string; path: string; init?: RequestInit }> = [];
  const base = 'http://backend/api/lexecon';
  const fetchApi = {
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input);
      const method = init?.method ?? 'GET';
      const path = url.slice(base.length);
      sent.push({ method, path, init });
      const { status, body } = answer(method, path);
      const text = JSON.stringify(body);
      return {
        ok: status < 400,
        status,
        statusText: status < 400 ? 'OK' : 'Bad Request',
        url,
        headers: new Headers({ 'content-type': 'application/json' }),
        text: async () => text,
        json: async () => body,
      } as unknown as Response;
    },
  };
  const discoveryApi = { getBaseUrl: async () => base };
  return { sent, fetchApi, discoveryApi };
}

/** Renders with the fake backend, every permission granted, and any further APIs. */
export function renderWithEvidenceBackend(
  children: ReactNode,
  backend: ReturnType<typeof fakeEvidenceBackend>,
  apis: ComponentProps<typeof TestApiProvider>['apis'] = [],
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [discoveryApiRef, backend.discoveryApi],
        [fetchApiRef, backend.fetchApi],
        [permissionApiRef, new MockPermissionApi()],
        ...apis,
      ]}
    >
      {children}
    </TestApiProvider>,
  );
}
