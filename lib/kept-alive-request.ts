import type http from 'node:http';
import type https from 'node:https';

/** A whole HTTP answer, read to its end. */
export interface WholeAnswer {
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/**
 * One request on a keep-alive agent and its whole answer; the signal in `options` bounds both, the
 * body's arrival included. A peer closes an idle kept-alive socket when its keep-alive timeout runs
 * out (Node's default is 5 s), and a request written to that socket in the same instant fails with
 * ECONNRESET before the peer read it. That failure, and only on a reused socket, is sent again on a
 * new socket, as Node's documentation advises. Without it, about one subgraph fetch in 100,000
 * failed under the bench's storefront mix.
 */
export function requestOnKeptAliveSocket(
  transport: typeof http | typeof https,
  target: URL,
  options: http.RequestOptions,
  body: string | Buffer | undefined,
): Promise<WholeAnswer> {
  return new Promise((resolve, reject) => {
    const request = transport.request(target, options, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? '', headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }),
      );
      // Cut off mid-answer (the time limit, the peer gone): no 'end' comes.
      response.on('close', () => response.complete || reject(new Error('the answer was cut off')));
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (request.reusedSocket && error.code === 'ECONNRESET' && !options.signal?.aborted) resolve(requestOnKeptAliveSocket(transport, target, options, body));
      else reject(error);
    });
    request.end(body);
  });
}
