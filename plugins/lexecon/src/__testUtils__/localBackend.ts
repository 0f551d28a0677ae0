import { serializeError } from '@backstage/errors';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** Where the app's discovery puts the lexecon backend, relative to the server's origin. */
export const LEXECON_BASE_PATH = '/api/lexecon';

/** One request as the server received it off the socket. */
export interface ReceivedRequest {
  method: string;
  /** The path below `/api/lexecon`, exactly as sent (still percent-encoded). */
  path: string;
  /** The query string as sent, without `?` (still percent-encoded). */
  rawQuery: string;
  /** The query parameters as a server decodes them. */
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON, when there was one. */
  body?: unknown;
}

export interface Answer {
  status?: number;
  json?: unknown;
  /** A non-JSON body, e.g. the HTML page of a proxy in front of the backend. */
  html?: string;
}

type Responder = (request: ReceivedRequest) => Answer;

/** A real HTTP server on 127.0.0.1 playing the lexecon backend, recording what it receives. */
export interface LocalBackend {
  /** The origin to give `mockApis.discovery`, e.g. `http://127.0.0.1:40123`. */
  readonly origin: string;
  readonly received: ReceivedRequest[];
  /** Answers `method path` (below `/api/lexecon`, compared with the path as sent). */
  on(method: string, path: string, respond: Responder): void;
}

/**
 * The body Backstage's error middleware writes for an error the backend throws, so clients are
 * tested against what they really get.
 */
export function backstageErrorBody(
  error: Error,
  statusCode: number,
  request: ReceivedRequest,
) {
  return {
    error: serializeError(error),
    request: {
      method: request.method,
      url: `${LEXECON_BASE_PATH}${request.path}`,
    },
    response: { statusCode },
  };
}

/** Starts the server before the file's tests, forgets routes after each, stops it at the end. */
export function setupLocalBackend(): LocalBackend {
  let server: Server | undefined;
  let origin = '';
  const routes = new Map<string, Responder>();
  const received: ReceivedRequest[] = [];

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://placeholder');
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      const rawPath = (req.url ?? '/').split('?')[0];
      const request: ReceivedRequest = {
        method: req.method ?? 'GET',
        path: rawPath.startsWith(LEXECON_BASE_PATH)
          ? rawPath.slice(LEXECON_BASE_PATH.length)
          : rawPath,
        rawQuery: url.search.replace(/^\?/, ''),
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body: text ? JSON.parse(text) : undefined,
      };
      received.push(request);
      const respond = rawPath.startsWith(LEXECON_BASE_PATH)
        ? routes.get(`${request.method} ${request.path}`)
        : undefined;
      const answer: Answer = respond
        ? respond(request)
        : {
            status: 404,
            json: backstageErrorBody(
              new Error(`No route for ${request.method} ${rawPath}`),
              404,
              request,
            ),
          };
      const status = answer.status ?? 200;
      if (answer.html !== undefined) {
        res.writeHead(status, { 'Content-Type': 'text/html' });
        res.end(answer.html);
      } else if (answer.json !== undefined) {
        res.writeHead(status, {
          'Content-Type': 'application/json; charset=utf-8',
        });
        res.end(JSON.stringify(answer.json));
      } else {
        res.writeHead(status);
        res.end();
      }
    });
    await new Promise<void>(resolve =>
      server!.listen(0, '127.0.0.1', () => resolve()),
    );
    origin = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  });

  afterEach(() => {
    routes.clear();
    received.length = 0;
  });

  afterAll(async () => {
    // Keep-alive sockets of the client would otherwise hold `close` open.
    server?.closeAllConnections();
    await new Promise(resolve => server?.close(resolve));
  });

  return {
    get origin() {
      return origin;
    },
    received,
    on(method, path, respond) {
      routes.set(`${method} ${path}`, respond);
    },
  };
}
