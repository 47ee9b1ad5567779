/**
 * URL defanging for text from a host, in the notation analysts already know: the text still reads
 * as the URL, but no mail client or Slack turns it into a link.
 */

/**
 * `https://evil.example/x` → `hxxps://evil[.]example/x`, `www.evil.example` → `www[.]evil[.]example`:
 * the text still reads as the URL, but no mail client or Slack links it (the usual defang notation).
 */
export function defang(text: string): string {
  if (!/:\/\/|www\./i.test(text)) return text;
  return text
    .replace(/\b([a-z][a-z0-9+.-]{0,15}):\/\/([^\s/?#"'`]*)/gi, (_m, scheme: string, host: string) => `${defangScheme(scheme)}${host.replace(/\./g, '[.]')}`)
    .replace(/\bwww\.([^\s/?#"'`]*)/gi, (_m, rest: string) => `www[.]${rest.replace(/\./g, '[.]')}`);
}

/** `https://` → `hxxps://`, `ftp://` → `fxp://`, any other `x://` → `x[:]//`. */
function defangScheme(scheme: string): string {
  const lower = scheme.toLowerCase();
  if (lower === 'http' || lower === 'https') return `hxxp${lower.slice(4)}://`;
  if (lower === 'ftp' || lower === 'ftps') return `fxp${lower.slice(3)}://`;
  return `${scheme}[:]//`;
}
