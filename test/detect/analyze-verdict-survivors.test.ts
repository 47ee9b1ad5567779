/**
 * The verdict sentence of analyzeCommandLine, word for word: it is what `npm run hunt -- explain`
 * prints to a detection engineer for each row, so each branch is pinned by its exact text.
 * Lines are wmic as operators type it (learn.microsoft.com, "wmic": `wmic [global switches]
 * <alias | PATH class> [verb clause]`, `/node:` a comma list, `/?` for help, `process call create
 * "<CommandLine>"`). A collector cut is modelled as the existing truncation tests do: the line is
 * padded on the left to a collector's fixed size (512 characters) so that it ends where the cut fell.
 */
import { describe, expect, it } from 'vitest';
import { analyzeCommandLine, assessRisk } from '../../lambda/detect/index.js';
import { wmic } from './helpers.js';

const CUT = 'the line was cut by a collector before its command could be read';

/** A line that a collector cut at 512 characters, ending with `visible`. */
function cutAt512(visible: string): string {
  return visible.padStart(512, ' ');
}

/** What explain shows for one wmic.exe row: the verdict, whether it is remote execution, and the targets. */
function explained(line: string): { verdict: string; remoteExec: boolean; targets: readonly string[]; remoteTargets: readonly string[] } {
  const a = wmic(line);
  return { verdict: a.verdict, remoteExec: a.remoteExec, targets: a.targets, remoteTargets: a.remoteTargets };
}

describe('what a renamed wmic records', () => {
  it('reads a renamed copy by its PE original name even when its image name is something else', () => {
    // a copy of wmic.exe renamed update.exe: XSIAM's action_process_original_name still holds the
    // PE header's OriginalFilename (as in test/detect/memo-edges.test.ts)
    const a = analyzeCommandLine({
      event_id: 'e1',
      agent_hostname: 'WKS-SRC-01',
      action_process_image_name: 'update.exe',
      action_process_image_path: 'C:\\Users\\Public\\update.exe',
      action_process_original_name: 'wmic.exe',
      action_process_image_command_line: 'update.exe /node:FS01 process call create "C:\\Windows\\Temp\\s.exe"',
    });
    expect(a).toMatchObject({ record: 'renamed-wmic', remoteExec: true, verdict: 'remote process creation on 1 node(s)', targets: ['fs01'] });
  });

  it('reads a row that carries no image name by its original name, even when the copy is named like a shell', () => {
    // a row written by hand for explain, or from a sensor that sent no image: the original name is all
    // there is. A renamed copy called cmd.exe must still be judged as the wmic it is, not as a shell
    const row = (line: string): Record<string, unknown> => ({
      event_id: 'e1', agent_hostname: 'WKS-SRC-01', action_process_original_name: 'wmic.exe', action_process_image_command_line: line,
    });
    for (const program of ['"C:\\Users\\Public\\cmd.exe"', 'update.exe']) {
      const a = analyzeCommandLine(row(`${program} /node:FS01 process call create "C:\\Windows\\Temp\\s.exe"`));
      expect({ program, record: a.record, remoteExec: a.remoteExec, verdict: a.verdict, targets: a.targets }).toEqual({
        program, record: 'renamed-wmic', remoteExec: true, verdict: 'remote process creation on 1 node(s)', targets: ['fs01'],
      });
      expect(assessRisk(a, 50).reasons.map((r) => r.code)).toContain('evasion.renamed-wmic');
    }
  });
});

describe('verdicts of lines wmic would not run as process creation', () => {
  it('says help is printed when /? follows the command, and calls it no remote execution', () => {
    expect(explained('wmic /node:FS01 process call create "calc.exe" /?')).toMatchObject({ verdict: 'wmic prints help (/?) and runs nothing', remoteExec: false });
  });

  it("quotes wmic's own rejection of an unknown global switch", () => {
    expect(explained('wmic /node:FS01 /bogus process call create "calc.exe"')).toMatchObject({ verdict: 'wmic would reject the line: invalid global switch "/bogus"', remoteExec: false });
  });

  it('names the alias that is not process, and says stdin when there is no command at all', () => {
    expect(explained('wmic /node:FS01 os get caption')).toMatchObject({ verdict: 'not Win32_Process (os)', remoteExec: false });
    expect(explained('wmic /node:FS01')).toMatchObject({ verdict: 'no command: wmic reads commands from stdin', remoteExec: false });
  });

  it('shows at most 60 characters of a class name (60 kept, the 61st dropped)', () => {
    const cls = `win32_${'a'.repeat(54)}`; // 60 characters
    expect(explained(`wmic /node:FS01 path ${cls} get name`).verdict).toBe(`not Win32_Process (${cls})`);
    expect(explained(`wmic /node:FS01 path ${cls}b get name`).verdict).toBe(`not Win32_Process (${cls})`);
  });

  it('names a verb that is not call, and says instances are listed when there is no verb', () => {
    expect(explained('wmic /node:FS01 process get name')).toMatchObject({ verdict: 'verb "get" is not call create', remoteExec: false });
    expect(explained('wmic /node:FS01 process')).toMatchObject({ verdict: 'no verb: wmic lists instances', remoteExec: false });
  });

  it('names a method that is not Create, at most 60 characters of it', () => {
    expect(explained('wmic /node:FS01 process call terminate')).toMatchObject({ verdict: 'method "terminate" is not Create', remoteExec: false });
    const method = 'm'.repeat(60);
    expect(explained(`wmic /node:FS01 process call ${method}`).verdict).toBe(`method "${method}" is not Create`);
    expect(explained(`wmic /node:FS01 process call ${method}x`).verdict).toBe(`method "${method}" is not Create`);
  });

  it('says call create has no CommandLine when none follows it', () => {
    expect(explained('wmic /node:FS01 process call create')).toMatchObject({ verdict: 'call create without a CommandLine', remoteExec: false });
  });

  it('reads an empty /node list as no /node: the process starts on the local machine', () => {
    expect(explained('wmic /node:"" process call create "calc.exe"')).toEqual({
      verdict: 'no /node: the process is created on the local machine', remoteExec: false, targets: [], remoteTargets: [],
    });
  });

  it('lists no remote target for a line without /node', () => {
    expect(explained('wmic process call create "calc.exe"')).toEqual({
      verdict: 'no /node: the process is created on the local machine', remoteExec: false, targets: [], remoteTargets: [],
    });
  });
});

describe('verdicts of lines cut before their command', () => {
  it('says the cut went through the only /node target when nothing else survived', () => {
    expect(explained(cutAt512('wmic /node:"FS0'))).toEqual({ verdict: `${CUT}, inside its only /node target`, remoteExec: false, targets: [], remoteTargets: [] });
  });

  it('says no remote target is visible when the line has no /node at all', () => {
    expect(explained(cutAt512('wmic process call'))).toEqual({ verdict: `${CUT}, with no remote /node target visible`, remoteExec: false, targets: [], remoteTargets: [] });
  });

  it('says no remote target is visible when the whole targets are local and the cut one is not the only one', () => {
    expect(explained(cutAt512('wmic /node:localhost,FS0'))).toEqual({
      verdict: `${CUT}, with no remote /node target visible`, remoteExec: false, targets: ['localhost'], remoteTargets: [],
    });
  });
});
