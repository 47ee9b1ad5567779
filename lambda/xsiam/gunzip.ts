/**
 * Gzip stages of the result stream, for `stream.pipeline`: the magic-number check, and a second
 * gzip layer peeled off when the first one's output is gzip again.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';
import { quote, XsiamError, XsiamProtocolError } from './errors.js';

const CALL = 'get_query_results_stream';
/** zlib's output chunk: larger than its 16 KiB default, so fewer chunks pass down the pipeline. */
export const INFLATE_CHUNK = 64 * 1024;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function newGunzip(): Gunzip {
  return createGunzip({ chunkSize: INFLATE_CHUNK });
}

function notGzip(head: Buffer, total: number, queryId: string | null): XsiamProtocolError {
  return new XsiamProtocolError(
    `${CALL}: expected a gzip body (is_gzip_compressed: true), got ${total} bytes starting "${quote(head.subarray(0, 40).toString('latin1'), 40)}"`,
    { call: CALL, status: 200, queryId },
  );
}

/**
 * Pipeline stage: passes the body on once its first two bytes are the gzip magic number. A body
 * that is not gzip is read to its end (only counted, not kept) so the error can give its size.
 */
export function expectGzip(queryId: string | null): (source: AsyncIterable<Buffer>) => AsyncGenerator<Buffer> {
  return async function* gzipOnly(source) {
    let head: Buffer | null = Buffer.alloc(0);
    let total = 0;
    let bad = false;
    for await (const chunk of source) {
      total += chunk.length;
      if (head === null) {
        yield chunk;
        continue;
      }
      // Past the first two bytes only the start is kept, for the message.
      if (head.length < 40) head = Buffer.concat([head, chunk]).subarray(0, bad ? 40 : undefined);
      if (bad || head.length < 2) continue;
      if (isGzip(head)) {
        const first = head;
        head = null;
        yield first;
      } else {
        bad = true;
        head = head.subarray(0, 40);
      }
    }
    if (head !== null) throw notGzip(head, total, queryId);
  };
}

/**
 * Pipeline stage: gunzips its input again when it starts with the gzip magic number, else passes
 * it through. Clients in the wild gunzip the body even when their HTTP library already decoded a
 * transfer encoding, so a body may arrive gzipped twice.
 */
export class SecondGzipLayer extends Transform {
  #head: Buffer | null = Buffer.alloc(0);
  #inner: Gunzip | null = null;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.#head !== null) {
      this.#head = Buffer.concat([this.#head, chunk]);
      if (this.#head.length < 2) return done();
      chunk = this.#head;
      this.#head = null;
      if (isGzip(chunk)) this.#inner = this.#startInner();
    }
    if (this.#inner === null) return done(null, chunk);
    if (this.#inner.write(chunk)) done();
    else this.#inner.once('drain', () => done());
  }

  override _flush(done: TransformCallback): void {
    const head = this.#head;
    this.#head = null;
    if (this.#inner === null) return done(null, head !== null && head.length > 0 ? head : undefined);
    this.#inner.once('end', () => done());
    this.#inner.end();
  }

  override _read(size: number): void {
    this.#inner?.resume();
    super._read(size);
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.#inner?.destroy();
    done(error);
  }

  #startInner(): Gunzip {
    const inner = newGunzip();
    // Inner output waits while the reader is behind: a small body may inflate to a lot.
    inner.on('data', (out: Buffer) => {
      if (!this.push(out)) inner.pause();
    });
    inner.once('error', (error) => this.destroy(error));
    return inner;
  }
}

/** What a failed decode becomes: zlib's errors are a bad body; others (the network, our own) pass. */
export function decodeFailure(error: unknown, queryId: string | null): unknown {
  if (error instanceof XsiamError) return error;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code !== 'string' || !code.startsWith('Z_')) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new XsiamProtocolError(`${CALL}: body is not valid gzip (${quote(reason, 100)})`, { call: CALL, status: 200, queryId, cause: error });
}
