/** A file a channel could not fetch again; `code` says whether it took too long. */
export class MediaFetchError extends Error {
  constructor(
    readonly code: 'MEDIA_TIMEOUT' | 'MEDIA_FETCH_FAILED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MediaFetchError';
  }
}

/** True for an aborted fetch (a deadline passed). */
export const isAbort = (error: unknown) => (error as Error)?.name === 'TimeoutError' || (error as Error)?.name === 'AbortError';

/** The body, refused once it grows past maxBytes (a lying or missing content-length included); `what` names the file in the error ("the voice note"). */
export async function readCapped(response: Response, maxBytes: number, what: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new MediaFetchError('MEDIA_FETCH_FAILED', `${what} is larger than ${maxBytes} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  for (;;) {
    const next = await reader?.read();
    if (!next || next.done) break;
    size += next.value.byteLength;
    if (size > maxBytes) {
      await reader!.cancel();
      throw new MediaFetchError('MEDIA_FETCH_FAILED', `${what} is larger than ${maxBytes} bytes`);
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks);
}
