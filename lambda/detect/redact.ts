/** Password redaction: every output field passes through here before it leaves the detector. */

export const REDACTED = '***';

// A fixed literal then bounded classes: linear, no backtracking on hostile input.
const PASSWORD_SWITCH = /[/-](?:password|passwd|pwd|pass)[ \t]*[:=][ \t]*/gi;

function valueEnd(text: string, i: number): number {
  const n = text.length;
  if (text[i] === '\\' && text[i + 1] === '"') {
    const close = text.indexOf('\\"', i + 2);
    return close < 0 ? n : close + 2;
  }
  if (text[i] === '"' || text[i] === "'") {
    const close = text.indexOf(text[i]!, i + 1);
    return close < 0 ? n : close + 1;
  }
  let j = i;
  while (j < n && text[j] !== ' ' && text[j] !== '\t' && text[j] !== '"' && text[j] !== '\n' && text[j] !== '\r') j++;
  return j;
}

/**
 * Replaces the value of every `/password:` (also `-password=`, `/pwd:`) in `text` with `***`,
 * then every known secret value anywhere in it (a password typed once can reappear in a payload).
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  const out: string[] = [];
  let last = 0;
  PASSWORD_SWITCH.lastIndex = 0;
  for (let m = PASSWORD_SWITCH.exec(text); m !== null; m = PASSWORD_SWITCH.exec(text)) {
    const start = m.index + m[0].length;
    const end = valueEnd(text, start);
    if (end > start) {
      out.push(text.slice(last, start), REDACTED);
      last = end;
    }
    PASSWORD_SWITCH.lastIndex = Math.max(end, start);
  }
  out.push(text.slice(last));
  let result = out.join('');
  const known = [...new Set(secrets)].filter((s) => s.length >= 2 && s !== REDACTED).sort((a, b) => b.length - a.length);
  for (const s of known) result = result.split(s).join(REDACTED);
  return result;
}

/** Replaces the given [start, end) spans of `text` (sorted or not) with `***`. */
export function redactSpans(text: string, spans: readonly (readonly [number, number])[]): string {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const out: string[] = [];
  let last = 0;
  for (const [start, end] of sorted) {
    if (start < last) continue;
    out.push(text.slice(last, start), REDACTED);
    last = end;
  }
  out.push(text.slice(last));
  return out.join('');
}
