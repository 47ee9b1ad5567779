/** Decoding of `get_query_results_stream` bodies: gzip (once or twice), then NDJSON. */
import { gunzipSync } from 'node:zlib';
import { quote, XsiamProtocolError } from './errors.js';
import { normaliseRow } from './rows.js';
import type { XqlRow } from './types.js';

const CALL = 'get_query_results_stream';

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Gunzips an `is_gzip_compressed: true` body. Clients in the wild gunzip the body even when their
 * HTTP library already decoded a transfer encoding, so a second gzip layer is peeled off too.
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
 * Parses NDJSON rows; blank lines are skipped. A line that is not JSON breaks the protocol (the
 * stream cannot be trusted) and is an error naming its number; a JSON line of the wrong shape is
 * one bad row, reported in `problems` while the others go on.
 */
export function parseNdjson(text: string, queryId: string | null, problems: string[], redact: (text: string) => string = (t) => t): { rows: XqlRow[]; lines: number } {
  const rows: XqlRow[] = [];
  const lines = text.split('\n');
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    count += 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      // The SyntaxError is not kept as cause: its message echoes body text verbatim.
      throw new XsiamProtocolError(`${CALL}: line ${i + 1} of the NDJSON body is not valid JSON: "${quote(redact(line), 120)}"`, { call: CALL, status: 200, queryId });
    }
    const row = normaliseRow(value, `${CALL} line ${i + 1}`, problems, redact);
    if (row !== null) rows.push(row);
  }
  return { rows, lines: count };
}
