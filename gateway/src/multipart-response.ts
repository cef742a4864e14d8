import { once } from 'node:events';
import type { Response } from 'express';
import { REQUEST_ID_HEADER } from '../../lib/request-log.js';

/** A multipart/mixed answer written part by part: subscriptions' events, @defer's payloads. */
export interface MultipartResponse {
  /** Writes one JSON part; false once the client is gone or was dropped as a slow reader. */
  write(json: string): Promise<boolean>;
  /** Writes the closing boundary, after one last part if given. */
  end(lastJson?: string): void;
  readonly closed: boolean;
}

export interface MultipartOptions {
  boundary: string;
  /** The content-type's parameters after the boundary (`subscriptionSpec="1.0"`, `deferSpec=20220824`). */
  spec: string;
  requestId: string;
  /** How long a write may wait for the client to read before the stream is dropped. */
  slowReaderMs: number;
  onSlowReader: () => void;
  onClose: () => void;
}

export function openMultipart(res: Response, options: MultipartOptions): MultipartResponse {
  // Each part is followed at once by the boundary: clients (Apollo Client among them) hand a part
  // on when they see the boundary after it, so a part that waited for the next one would arrive late.
  const delimiter = `\r\n--${options.boundary}`;
  const part = (json: string) => `\r\ncontent-type: application/json; charset=utf-8\r\n\r\n${json}${delimiter}`;
  res.status(200);
  res.setHeader('content-type', `multipart/mixed;boundary="${options.boundary}";${options.spec}`);
  res.setHeader('cache-control', 'no-cache, no-store');
  res.setHeader(REQUEST_ID_HEADER, options.requestId);
  res.flushHeaders();
  res.write(delimiter);
  let closed = false;
  res.once('close', () => {
    closed = true;
    options.onClose();
  });
  return {
    get closed() {
      return closed;
    },
    async write(json) {
      if (closed) return false;
      if (res.write(part(json))) return true;
      const drained = await Promise.race([once(res, 'drain').then(() => true), new Promise<boolean>((resolve) => setTimeout(resolve, options.slowReaderMs, false).unref())]);
      if (!drained && !closed) {
        options.onSlowReader();
        res.destroy();
      }
      return drained;
    },
    end(lastJson) {
      if (!closed) res.end(`${lastJson === undefined ? '' : part(lastJson)}--\r\n`);
    },
  };
}
