/**
 * The script behind a PowerShell `-EncodedCommand` (UTF-16LE base64): analysts cannot read the
 * base64, so the detector decodes it once and shows it — passwords redacted, capped, controls visible.
 */
import { decodeEncodedCommand, encodedCommandPayload } from './powershell-shell.js';
import { findSecrets, redactSecrets, secretsIn, type SecretFinder } from './redact.js';
import { shellKind } from './shells.js';
import { splitProgram } from './tokenize.js';

/** Longest decoded script kept (characters); longer ones end in a visible marker. */
export const DECODED_SCRIPT_MAX = 1000;

export interface DecodedScript {
  /** The decoded script, redacted and capped; null when no payload was found or it did not decode. */
  readonly script: string | null;
  /** Why a payload that was found could not be decoded, or null. */
  readonly problem: string | null;
  /** Redaction changed the script: it held a password, so the base64 around it must not be shown either. */
  readonly heldSecret: boolean;
  /** The credentials the script typed (bare values), to hide wherever else they appear. */
  readonly secrets: readonly string[];
}

const NONE: DecodedScript = { script: null, problem: null, heldSecret: false, secrets: [] };

/** The -EncodedCommand payload of `line` when it is a PowerShell invocation; null otherwise. */
function payloadOf(line: string | null): string | null {
  if (line === null) return null;
  const program = splitProgram(line).program;
  return shellKind(program) === 'powershell' ? encodedCommandPayload(line) : null;
}

/**
 * Keeps tabs and line breaks (a script's own layout, normalised to `\n`) and shows every other
 * control, bidi, zero-width or format character as `[U+XXXX]`, so nothing in a script can hide or
 * reorder text in a terminal, an email or a chat message.
 */
export function visibleScript(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u206F\uFEFF\uFFF9-\uFFFB]/g, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
}

/** The first `max` characters, without splitting a surrogate pair or a `[U+XXXX]` escape. */
function cutWhole(text: string, max: number): string {
  let end = max;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return text.slice(0, end).replace(/\[(?:U(?:\+[0-9A-F]{0,4})?)?$/, '');
}

/**
 * Decodes the first -EncodedCommand among `lines` (the remote command, then the shell line, then
 * the parent's command line): redacted with the line's known secrets and every credential form,
 * controls made visible, capped at DECODED_SCRIPT_MAX with a marker.
 */
export function decodedScriptOf(lines: readonly (string | null)[], secrets: readonly string[], find: SecretFinder = findSecrets): DecodedScript {
  for (const line of lines) {
    const payload = payloadOf(line);
    if (payload === null) continue;
    const decoded = decodeEncodedCommand(payload);
    if (decoded.script === null) return { ...NONE, problem: decoded.problem };
    // the whole script: a password past the cap is still in the base64 shown beside it
    const redacted = redactSecrets(decoded.script, secrets, find);
    const shown = visibleScript(redacted);
    const capped = shown.length <= DECODED_SCRIPT_MAX
      ? shown
      : `${cutWhole(shown, DECODED_SCRIPT_MAX)}…[decoded script truncated, ${decoded.script.length} chars in total]`;
    return { script: capped, problem: null, heldSecret: redacted !== decoded.script, secrets: secretsIn(decoded.script, find) };
  }
  return NONE;
}
