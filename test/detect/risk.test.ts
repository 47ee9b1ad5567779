import { describe, expect, it } from 'vitest';
import { assessRisk, RISK_REASONS, severityFor } from '../../lambda/detect/index.js';
import { encodePs, shell, wmic } from './helpers.js';

const codes = (line: string, extra: Record<string, unknown> = {}): string[] => assessRisk(wmic(line, extra), 85).reasons.map((r) => r.code);

describe('severity bands', () => {
  it.each([
    [0, 'low'], [39, 'low'], [40, 'medium'], [69, 'medium'], [70, 'high'], [89, 'high'], [90, 'critical'], [100, 'critical'],
  ] as const)('maps %i to %s', (score, severity) => {
    expect(severityFor(score)).toBe(severity);
  });
});

describe('risk reasons', () => {
  it('starts from the hunt score with no reasons for a plain payload and an ordinary parent', () => {
    const r = assessRisk(wmic('wmic /node:FS01 process call create notepad.exe'), 85);
    expect(r).toEqual({ riskScore: 85, severity: 'high', reasons: [] });
  });

  it('names the payload reasons', () => {
    expect(codes('wmic /node:FS01 process call create "powershell.exe -nop -w hidden -enc SQBFAFgA"')).toEqual(expect.arrayContaining(['payload.powershell', 'payload.encoded']));
    expect(codes('wmic /node:FS01 process call create "cmd.exe /c bitsadmin /transfer j \\\\dc01\\share$\\x.exe C:\\Users\\Public\\x.exe"'))
      .toEqual(expect.arrayContaining(['payload.cmd-chain', 'payload.lolbin', 'payload.unc-path', 'payload.staging-path']));
    expect(codes('wmic /node:FS01 process call create "rundll32 C:\\ProgramData\\b.dll,StartW"')).toEqual(expect.arrayContaining(['payload.lolbin', 'payload.staging-path']));
    expect(codes('wmic /node:FS01 process call create "wscript C:\\x.vbs"')).toContain('payload.script-host');
    expect(codes('wmic /node:FS01 process call create "cmd /c vssadmin delete shadows /all /quiet"')).toContain('payload.ransomware');
    expect(codes('wmic /node:FS01 process call create "C:\\x\\enc.exe C:\\data\\f.docx.locked"')).toContain('payload.ransomware');
    expect(codes('wmic /node:FS01 process call create "ntdsutil \\"ac i ntds\\" ifm \\"create full C:\\x\\""')).toContain('payload.credential-access');
    expect(codes('wmic /node:srv1 process call create "cmd /c wmic /node:srv2 process call create x"')).toContain('payload.nested-wmic');
  });

  it('raises the score for unusual parents and lowers it for a known management agent', () => {
    expect(codes('wmic /node:FS01 process call create x', { actor_process_image_name: 'WINWORD.EXE' })).toEqual(['parent.office']);
    expect(codes('wmic /node:FS01 process call create x', { actor_process_image_name: 'wscript.exe' })).toEqual(['parent.script-host']);
    expect(codes('wmic /node:FS01 process call create x', { actor_process_image_name: 'msedge.exe' })).toEqual(['parent.browser']);
    expect(codes('wmic /node:FS01 process call create x', { actor_process_image_name: 'rundll32.exe' })).toEqual(['parent.proxy-binary']);
    expect(codes('wmic /node:FS01 process call create x', { actor_process_image_name: 'WmiPrvSE.exe' })).toEqual(['parent.wmiprvse']);
    expect(codes('wmic /node:FS01 process call create x', { actor_process_image_name: 'services.exe' })).toEqual(['parent.service']);
    expect(codes('wmic /node:FS01 process call create x', { actor_process_image_name: 'ScreenConnect.WindowsClient.exe' })).toEqual(['parent.remote-access']);
    const sccm = assessRisk(wmic('wmic /node:FS01 process call create x', { actor_process_image_name: 'CcmExec.exe' }), 85);
    expect(sccm).toMatchObject({ riskScore: 60, severity: 'medium', reasons: [{ code: 'parent.management-agent', points: -25 }] });
  });

  it('names fan-out, @file lists, credentials, failfast, renamed wmic, look-alikes, shells and truncation', () => {
    const hosts = Array.from({ length: 25 }, (_, i) => `h${i}`).join(',');
    expect(codes(`wmic /node:${hosts} process call create x`)).toEqual(['fanout.mass']);
    expect(codes('wmic /node:a,b,c,d,e process call create x')).toEqual(['fanout.many-targets']);
    expect(codes('wmic /node:@hosts.txt /failfast:on process call create x')).toEqual(['fanout.file', 'options.failfast']);
    expect(codes('wmic /node:FS01 /user:adm /password:"x" process call create x')).toEqual(['credentials.on-line']);
    expect(codes('upd.exe /node:FS01 process call create x', { action_process_image_name: 'upd.exe', action_process_original_name: 'wmic.exe' })).toEqual(['evasion.renamed-wmic']);
    expect(codes('wmic /\u207Fode:FS01 process call create x')).toEqual(['evasion.lookalike']);
    expect(codes('wmic /node:FS01 process call create "x.exe')).toEqual(['note.truncated']);
    const viaShell = assessRisk(shell('powershell.exe', `powershell -enc ${encodePs('wmic /node:FS01 process call create x')}`, { actor_process_image_name: 'winword.exe' }), 85);
    expect(viaShell.reasons.map((r) => r.code)).toEqual(['parent.office', 'parent.stager', 'evasion.obfuscated-shell', 'note.parent-shell']);
  });

  it('sums points onto the base score and clamps to 0–100', () => {
    const heavy = assessRisk(wmic('wmic /node:@h.txt /user:a /password:"b" process call create "powershell -enc AAAA; rundll32 C:\\Users\\Public\\x.dll"', { actor_process_image_name: 'winword.exe' }), 85);
    expect(heavy.riskScore).toBe(100);
    expect(heavy.severity).toBe('critical');
    const low = assessRisk(wmic('wmic /node:FS01 process call create x', { actor_process_image_name: 'CcmExec.exe' }), 10);
    expect(low).toMatchObject({ riskScore: 0, severity: 'low' });
    const sum = assessRisk(wmic('wmic /node:FS01 process call create "cmd /c whoami"'), 50);
    expect(sum.riskScore).toBe(50 + RISK_REASONS['payload.cmd-chain'].points);
  });

  it('documents every reason in the README table', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../../lambda/detect/README.md', import.meta.url), 'utf8');
    for (const [code, r] of Object.entries(RISK_REASONS)) expect(readme).toMatch(new RegExp(`\\| \`${code.replace('.', '\\.')}\` \\| ${r.points > 0 ? '\\+' : ''}${r.points} \\|`));
  });
});
