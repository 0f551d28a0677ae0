import type http from 'node:http';
import type https from 'node:https';
import type { SourceName } from './faults';

/** A request as the upstream server received it, before any handler or fault rule ran. */
export interface StartedRequest {
  /** 1, 2, 3, ... in order of arrival, never reused (not even after `clear`). */
  seq: number;
  source: SourceName;
  method: string;
  /** Path with query, as received. */
  path: string;
  /** When the request arrived (ISO 8601). */
  at: string;
  /** False while the response is not finished (or the connection not closed). */
  done: boolean;
  /** The status sent; 0 while in flight or when the connection was dropped. */
  status: number;
}

const MAX_ENTRIES = 50_000;

/**
 * Every request the upstream servers received, logged when it arrives. The request log of
 * `faults.ts` records a request when its response is finished, so a count taken from it misses
 * the requests still in flight; this one does not.
 */
export class StartedRequestLog {
  private entries: StartedRequest[] = [];
  private seq = 0;
  private pending = 0;

  /** Logs the requests `server` receives as coming from `source`. */
  watch(server: http.Server | https.Server, source: SourceName): void {
    // First in line: Express rewrites `req.url` while it routes into a mounted router.
    server.prependListener('request', (req: http.IncomingMessage, res) => {
      this.pending++;
      const entry: StartedRequest = {
        seq: ++this.seq,
        source,
        method: req.method ?? 'GET',
        path: req.url ?? '',
        at: new Date().toISOString(),
        done: false,
        status: 0,
      };
      this.entries.push(entry);
      if (this.entries.length > MAX_ENTRIES) this.entries.shift();
      res.once('close', () => {
        this.pending--;
        entry.done = true;
        entry.status = res.writableFinished ? res.statusCode : 0;
      });
    });
  }

  /** The requests that arrived after the one numbered `afterSeq` (default: all kept). */
  list(afterSeq = 0): StartedRequest[] {
    return this.entries.filter(e => e.seq > afterSeq).map(e => ({ ...e }));
  }

  /** The number of the last request that arrived; 0 before the first. */
  lastSeq(): number {
    return this.seq;
  }

  /** How many requests are waiting for their response, including ones `clear` dropped. */
  inFlight(): number {
    return this.pending;
  }

  clear(): void {
    this.entries = [];
  }
}
