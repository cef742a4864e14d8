/** What the gateway streams @defer in: Apollo Router's and Apollo Client's format. */
export const DEFER_ACCEPT = 'multipart/mixed;deferSpec=20220824, application/json';

/**
 * The payloads of a multipart/mixed answer, one JSON each, as they arrive. GraphiQL merges the
 * incremental ones (`hasNext`, `incremental: [{ data, path }]`) into the response pane itself.
 */
export async function* multipartPayloads(response: Response): AsyncGenerator<unknown> {
  const boundary = `\r\n--${/boundary="?([^";]+)"?/.exec(response.headers.get('content-type') ?? '')?.[1] ?? '-'}`;
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      for (let at = buffer.indexOf(boundary); at !== -1; at = buffer.indexOf(boundary)) {
        const part = buffer.slice(0, at);
        buffer = buffer.slice(at + boundary.length);
        const body = part.slice(part.indexOf('\r\n\r\n') + 4).trim();
        if (part.includes('\r\n\r\n') && body) yield JSON.parse(body);
      }
      if (buffer.startsWith('--')) return;
    }
  } finally {
    void reader.cancel().catch(() => undefined);
  }
}
