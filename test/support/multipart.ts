/**
 * The JSON parts of a multipart/mixed body as they arrive (what Apollo's @defer and subscription
 * answers are): each part's headers skipped, its body parsed. It returns at the closing boundary;
 * a body that ends before it throws, or with `unclosed: 'end'` just ends.
 */
export async function* multipartParts(body: ReadableStream<Uint8Array> | null, boundary: string, options: { unclosed?: 'throw' | 'end' } = {}): AsyncGenerator<any> {
  const delimiter = `\r\n--${boundary}`;
  const decoder = new TextDecoder();
  let buffer = '';
  let opened = false;
  for await (const chunk of (body ?? []) as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    if (!opened) {
      if (!buffer.startsWith(delimiter)) continue;
      buffer = buffer.slice(delimiter.length);
      opened = true;
    }
    // What follows a boundary: "--" (the end) or a part, itself ended by the next boundary.
    for (;;) {
      if (buffer.startsWith('--')) return;
      const at = buffer.indexOf(delimiter);
      if (at === -1) break;
      const part = buffer.slice(0, at);
      buffer = buffer.slice(at + delimiter.length);
      yield JSON.parse(part.slice(part.indexOf('\r\n\r\n') + 4));
    }
  }
  if (options.unclosed !== 'end') throw new Error(`the multipart answer ended without its closing boundary: ${JSON.stringify(buffer)}`);
}

/** The boundary a multipart content type names. */
export function boundaryOf(contentType: string): string {
  return /boundary="?([^";]+)"?/.exec(contentType)![1]!;
}
