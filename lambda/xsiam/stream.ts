/** Decoding of `get_query_results_stream` bodies: gzip (once or twice), then NDJSON, as the bytes arrive. */
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { gunzipSync } from 'node:zlib';
import { quote, XsiamProtocolError } from './errors.js';
import { decodeFailure, expectGzip, isGzip, newGunzip, SecondGzipLayer } from './gunzip.js';
import { normaliseRow } from './rows.js';
import type { XqlRow } from './types.js';

const CALL = 'get_query_results_stream';

/** What a stream held: its rows and how many non-blank lines it had. */
export interface NdjsonResult {
  readonly rows: XqlRow[];
  readonly lines: number;
}

/**
 * Gunzips a whole `is_gzip_compressed: true` body at once (two layers at most). The client
 * decodes streams with {@link readGzipNdjson}; this form is for callers holding a whole body.
 */
export function gunzipBody(body: Uint8Array, queryId: string | null): Buffer {
  if (!isGzip(body)) {
    throw new XsiamProtocolError(
      `${CALL}: expected a gzip body (is_gzip_compressed: true), got ${body.length} bytes starting "${quote(Buffer.from(body.subarray(0, 40)).toString('latin1'), 40)}"`,
      { call: CALL, status: 200, queryId },
    );
  }
  let out: Buffer = Buffer.from(body);
  for (let layer = 0; layer < 2 && isGzip(out); layer++) {
    try {
      out = gunzipSync(out);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new XsiamProtocolError(`${CALL}: body is not valid gzip (${quote(reason, 100)})`, { call: CALL, status: 200, queryId, cause });
    }
  }
  return out;
}

/**
 * NDJSON rows from text given in pieces that may cut a line anywhere; blank lines are skipped.
 * A line that is not JSON breaks the protocol (the stream cannot be trusted) and is an error
 * naming its number; a JSON line of the wrong shape is one bad row, reported in `problems` while
 * the others go on.
 */
export class NdjsonReader {
  readonly rows: XqlRow[] = [];
  #lines = 0;
  #lineNo = 0;
  /** Pieces of the line not yet ended by a newline. */
  #partial: string[] = [];

  constructor(
    private readonly queryId: string | null,
    private readonly problems: string[],
    private readonly redact: (text: string) => string = (t) => t,
  ) {}

  /** Takes the next piece of text; every line it completes is parsed now. */
  push(text: string): void {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      let line = text.slice(start, nl);
      if (this.#partial.length > 0) {
        line = this.#partial.join('') + line;
        this.#partial = [];
      }
      this.#line(line);
      start = nl + 1;
    }
    if (start < text.length) this.#partial.push(start === 0 ? text : text.slice(start));
  }

  /** Parses a last line without a newline; returns the rows and the count of non-blank lines. */
  end(): NdjsonResult {
    if (this.#partial.length > 0) {
      const line = this.#partial.join('');
      this.#partial = [];
      this.#line(line);
    }
    return { rows: this.rows, lines: this.#lines };
  }

  #line(raw: string): void {
    this.#lineNo += 1;
    const line = raw.trim();
    if (line === '') return;
    this.#lines += 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      // The SyntaxError is not kept as cause: its message echoes body text verbatim.
      throw new XsiamProtocolError(`${CALL}: line ${this.#lineNo} of the NDJSON body is not valid JSON: "${quote(this.redact(line), 120)}"`, { call: CALL, status: 200, queryId: this.queryId });
    }
    const row = normaliseRow(value, `${CALL} line ${this.#lineNo}`, this.problems, this.redact);
    if (row !== null) this.rows.push(row);
  }
}

/** Parses NDJSON text held whole (see {@link NdjsonReader}). */
export function parseNdjson(text: string, queryId: string | null, problems: string[], redact: (text: string) => string = (t) => t): NdjsonResult {
  const reader = new NdjsonReader(queryId, problems, redact);
  reader.push(text);
  return reader.end();
}

/**
 * Reads a gzip NDJSON body as it arrives: gunzip (a second layer too), UTF-8 decode and line
 * parsing chunk by chunk, so memory holds the rows and one chunk, never the whole text. More
 * than `maxDecodedBytes` of NDJSON is an XsiamProtocolError (a gzip bomb must not take the
 * function's memory). Errors of `body` itself (the network) come out unchanged.
 */
export async function readGzipNdjson(body: Readable, queryId: string | null, problems: string[], redact: (text: string) => string, maxDecodedBytes: number): Promise<NdjsonResult> {
  const reader = new NdjsonReader(queryId, problems, redact);
  const utf8 = new StringDecoder('utf8');
  let decoded = 0;
  // Node 20's pipeline may reject with an AbortError of its own when the last stage throws:
  // the parser's error is kept here so it is the one reported.
  let parseError: unknown;
  const parse = async (text: AsyncIterable<Buffer>): Promise<void> => {
    try {
      for await (const chunk of text) {
        decoded += chunk.length;
        if (decoded > maxDecodedBytes) {
          throw new XsiamProtocolError(`${CALL}: the gzip body inflates to more than ${maxDecodedBytes} bytes (maxDecodedBytes)`, { call: CALL, status: 200, queryId });
        }
        reader.push(utf8.write(chunk));
      }
      reader.push(utf8.end());
    } catch (error) {
      if (error instanceof XsiamProtocolError) parseError = error;
      throw error;
    }
  };
  try {
    await pipeline(body, expectGzip(queryId), newGunzip(), new SecondGzipLayer(), parse);
  } catch (error) {
    throw decodeFailure(parseError ?? error, queryId);
  }
  return reader.end();
}
