/**
 * The drill-down XQL an analyst pastes into XSIAM for one host pair (lambda/notify/xql.ts, lines
 * 1-145: the time window, the config stage, the target as the line spells it, the image condition,
 * and drillDownXql's card/cache dispatch). Each test reads the query text itself.
 *
 * Command lines and the targets the detector derives from them are modelled on the detector's
 * own output (analyzeCommandLine in lambda/detect/analyze.ts: /node values lower-cased, quotes
 * removed, carets kept; an -EncodedCommand decoded), so each finding is one the hunt can produce.
 */
import { describe, expect, it } from 'vitest';
import type { TrackedFinding } from '../../lambda/finding.js';
import { drillDownXql } from '../../lambda/notify/index.js';
import { T0, makeContext, makeFinding } from '../fixtures/notify/findings.js';

const HOUR = 60 * 60_000;
const ctx = makeContext();
const HUNT = ctx.hunt.id;

const FIELDS =
  '| fields _time, agent_hostname, actor_effective_username, action_process_image_name, action_process_image_command_line, ' +
  'actor_process_image_name, actor_process_command_line, causality_actor_process_command_line, causality_actor_primary_username, event_id, agent_id';
const CONFIG = 'config case_sensitive = false';
/** The run window of `ctx` (T0 ± 1 h) as XQL's absolute times. */
const RUN_WINDOW = `${CONFIG} timeframe between "2026-03-14 08:26:53 +0000" and "2026-03-14 10:26:53 +0000"`;
const WMIC_ONLY = 'action_process_image_name = "wmic.exe"';
const VERBS = [
  'action_process_image_command_line contains "process"',
  'action_process_image_command_line contains "call"',
  'action_process_image_command_line contains "create"',
];
const TARGET_DROPPED =
  '// Target host condition dropped: the target is not written plainly on the command line or has characters XQL strings cannot hold; filter by hand.';
const SOURCE_DROPPED = '// Source host condition dropped: the host name has characters XQL strings cannot hold; filter by hand.';

/** The filter's conditions, one per line, as the analyst reads them. */
function conditions(xql: string): string[] {
  const lines = xql.split('\n');
  const start = lines.findIndex((l) => l.startsWith('| filter '));
  const out = [lines[start]!.slice('| filter '.length)];
  for (const l of lines.slice(start + 1)) {
    if (!l.startsWith('    and ')) break;
    out.push(l.slice('    and '.length));
  }
  return out;
}

/** The `//` comment lines and the config line: what the query says about itself and its window. */
function head(xql: string): string[] {
  const lines = xql.split('\n');
  return lines.slice(0, lines.findIndex((l) => l.startsWith('config ')) + 1);
}

/** The conditions of a wmic record from WKS-FIN-042 whose target conditions are `target`. */
function pairConditions(target: readonly string[], image = WMIC_ONLY): string[] {
  return ['event_type = ENUM.PROCESS', 'event_sub_type = ENUM.PROCESS_START', image, 'agent_hostname = "WKS-FIN-042"', ...target, ...VERBS];
}

describe('the drill-down query of one host pair', () => {
  it('reads, in full, as the analyst pastes it: the pair over first/last seen widened by an hour', () => {
    expect(drillDownXql(makeFinding(), ctx)).toBe(
      [
        `// Drill-down: ${HUNT}, one host pair`,
        '// Window: first/last seen widened by one hour',
        `${CONFIG} timeframe between "2026-03-14 08:26:53 +0000" and "2026-03-14 10:41:53 +0000"`,
        '| dataset = xdr_data',
        `| filter ${pairConditions(['action_process_image_command_line contains "srv-file-01"']).join('\n    and ')}`,
        FIELDS,
        '| sort desc _time',
      ].join('\n'),
    );
  });

  it('drops a source host with a trailing space (it would not match the agent name) and says so', () => {
    const xql = drillDownXql(makeFinding({ sourceHost: 'WKS-FIN-042 ' }), ctx);
    expect(head(xql)).toContain(SOURCE_DROPPED);
    expect(conditions(xql).filter((c) => c.startsWith('agent_hostname'))).toEqual([]);
  });
});

describe('the time window', () => {
  it("falls back to the run's window when last seen is unusable", () => {
    expect(head(drillDownXql(makeFinding({ lastSeen: Number.NaN }), ctx))).toEqual([
      `// Drill-down: ${HUNT}, one host pair`,
      "// Window: the run's window (the finding's first/last seen are unusable)",
      RUN_WINDOW,
    ]);
  });

  it('keeps a window of one instant when first seen is exactly two hours after last seen (the widened ends meet)', () => {
    const xql = drillDownXql(makeFinding({ firstSeen: T0 + 2 * HOUR, lastSeen: T0 }), ctx);
    expect(head(xql).slice(1)).toEqual([
      '// Window: first/last seen widened by one hour',
      `${CONFIG} timeframe between "2026-03-14 10:26:53 +0000" and "2026-03-14 10:26:53 +0000"`,
    ]);
  });

  it("uses the run's window when first seen is one millisecond more than that (the widened ends cross)", () => {
    const xql = drillDownXql(makeFinding({ firstSeen: T0 + 2 * HOUR + 1, lastSeen: T0 }), ctx);
    expect(head(xql).slice(1)).toEqual(["// Window: the run's window (the finding's first/last seen are unusable)", RUN_WINDOW]);
  });

  it('writes the bare config stage, with a comment, when no window can be computed', () => {
    const xql = drillDownXql(makeFinding({ firstSeen: Number.NaN }), makeContext({ window: { from: Number.NaN, to: 0 } }));
    expect(head(xql)).toEqual([
      `// Drill-down: ${HUNT}, one host pair`,
      '// Window: none could be computed; set the time range in the query builder',
      CONFIG,
    ]);
  });
});

describe('the target as the command line writes it', () => {
  it('drops the target of an encoded PowerShell command (the line does not hold it) and says so', () => {
    // powershell -EncodedCommand of "wmic /node:fs01 process call create calc.exe" (UTF-16LE base64,
    // as PowerShell takes it); the detector decodes it and reports target fs01.
    const encoded = Buffer.from('wmic /node:fs01 process call create calc.exe', 'utf16le').toString('base64');
    const f = makeFinding({
      targetHost: 'fs01',
      imageName: 'powershell.exe',
      commandLine: `powershell.exe -NoProfile -EncodedCommand ${encoded}`,
    });
    const xql = drillDownXql(f, ctx);
    expect(head(xql)).toContain(TARGET_DROPPED);
    expect(conditions(xql)).toEqual(pairConditions([], 'action_process_image_name in ("wmic.exe", "powershell.exe")'));
  });

  it('splits a quoted spelling into one condition per piece (/node:"ws"-eng-9 is target ws-eng-9)', () => {
    const f = makeFinding({ targetHost: 'ws-eng-9', commandLine: 'wmic /node:"ws"-eng-9 process call create notepad.exe' });
    const xql = drillDownXql(f, ctx);
    expect(head(xql)).not.toContain(TARGET_DROPPED);
    expect(conditions(xql)).toEqual(
      pairConditions(['action_process_image_command_line contains "ws"', 'action_process_image_command_line contains "-eng-9"']),
    );
  });

  it('keeps the case the line writes (the query is case-insensitive anyway)', () => {
    const f = makeFinding({ targetHost: 'ws-eng-9', commandLine: 'wmic /node:"WS"-ENG-9 process call create notepad.exe' });
    expect(conditions(drillDownXql(f, ctx))).toEqual(
      pairConditions(['action_process_image_command_line contains "WS"', 'action_process_image_command_line contains "-ENG-9"']),
    );
  });

  it('skips caret-escaped quotes inside the target and writes no empty piece', () => {
    // wmic keeps the carets (no cmd.exe in between): the detector's target is ^ws^-eng-9.
    const f = makeFinding({ targetHost: '^ws^-eng-9', commandLine: 'wmic /node:^"ws^"-eng-9 process call create notepad.exe' });
    expect(conditions(drillDownXql(f, ctx))).toEqual(
      pairConditions(['action_process_image_command_line contains "ws"', 'action_process_image_command_line contains "-eng-9"']),
    );
  });

  it('drops the whole target when one piece has a character XQL strings cannot hold', () => {
    // The detector's target for /node:"ws"-ëng-9 (a look-alike letter): ws-ëng-9.
    const f = makeFinding({ targetHost: 'ws-ëng-9', commandLine: 'wmic /node:"ws"-ëng-9 process call create notepad.exe' });
    const xql = drillDownXql(f, ctx);
    expect(head(xql)).toContain(TARGET_DROPPED);
    expect(conditions(xql)).toEqual(pairConditions([]));
  });

  it('drops a target made only of carets (nothing left to search for) and says so', () => {
    const f = makeFinding({ targetHost: '^^', commandLine: 'wmic /node:^^ process call create notepad.exe' });
    const xql = drillDownXql(f, ctx);
    expect(head(xql)).toContain(TARGET_DROPPED);
    expect(conditions(xql)).toEqual(pairConditions([]));
  });
});

describe('the image condition', () => {
  it('asks for wmic.exe alone when the event ran as wmic.exe in any case', () => {
    for (const imageName of ['WMIC.EXE', 'wmic.exe']) {
      expect(conditions(drillDownXql(makeFinding({ imageName }), ctx))).toEqual(
        pairConditions(['action_process_image_command_line contains "srv-file-01"']),
      );
    }
  });

  it('adds the image the event ran as: a renamed copy, or the shell that launched wmic', () => {
    for (const imageName of ['svcupd.exe', 'cmd.exe']) {
      expect(conditions(drillDownXql(makeFinding({ imageName }), ctx))[2]).toBe(`action_process_image_name in ("wmic.exe", "${imageName}")`);
    }
  });

  it('widens the image condition, with a comment, when the image name cannot be quoted (a look-alike letter)', () => {
    const xql = drillDownXql(makeFinding({ imageName: 'wm\u0456c.exe' }), ctx);
    expect(head(xql)).toEqual([
      `// Drill-down: ${HUNT}, one host pair`,
      '// Window: first/last seen widened by one hour',
      '// Image condition widened: the image name has characters XQL strings cannot hold.',
      `${CONFIG} timeframe between "2026-03-14 08:26:53 +0000" and "2026-03-14 10:41:53 +0000"`,
    ]);
    expect(conditions(xql)[2]).toBe('action_process_image_name != null');
  });
});

describe('which query a finding gets', () => {
  it("gives a card-only hunt's finding the card query: its host and its events", () => {
    const f = makeFinding({ host: 'WKS-FIN-042', keyFields: { agent_hostname: 'wks-fin-042' }, eventIds: ['evt-1'] });
    expect(drillDownXql(f, ctx)).toBe(
      [
        `// Drill-down for ${HUNT}; time range: first/last seen widened by one hour.`,
        `${CONFIG} timeframe between "2026-03-14 08:26:53 +0000" and "2026-03-14 10:41:53 +0000"`,
        '| dataset = xdr_data',
        '| filter agent_hostname = "WKS-FIN-042"\n    and event_id in ("evt-1")',
        FIELDS,
        '| sort desc _time',
        '',
      ].join('\n'),
    );
  });

  it('builds the query once per finding and run: email, Chatbot and JSON all carry that one text', () => {
    let reads = 0;
    const f = Object.defineProperty({ ...makeFinding() }, 'sourceHost', {
      get: () => {
        reads += 1;
        return 'WKS-FIN-042';
      },
      enumerable: true,
    }) as TrackedFinding;
    const texts = [drillDownXql(f, ctx), drillDownXql(f, ctx), drillDownXql(f, ctx)];
    expect(reads).toBe(1);
    expect(new Set(texts).size).toBe(1);
    expect(conditions(texts[0]!)[3]).toBe('agent_hostname = "WKS-FIN-042"');
  });

  it('builds it again for another run: the query carries that run\'s window', () => {
    const f = makeFinding({ firstSeen: Number.NaN });
    expect(head(drillDownXql(f, ctx))[2]).toBe(RUN_WINDOW);
    const later = makeContext({ window: { from: T0 + 23 * HOUR, to: T0 + 25 * HOUR } });
    expect(head(drillDownXql(f, later))[2]).toBe(`${CONFIG} timeframe between "2026-03-15 08:26:53 +0000" and "2026-03-15 10:26:53 +0000"`);
  });

  it('still gives a query, both hosts dropped and the run window, for a record that is not an object', () => {
    const xql = drillDownXql('corrupt record' as unknown as TrackedFinding, ctx);
    expect(head(xql)).toEqual([
      `// Drill-down: ${HUNT}, one host pair`,
      "// Window: the run's window (the finding's first/last seen are unusable)",
      SOURCE_DROPPED,
      TARGET_DROPPED,
      RUN_WINDOW,
    ]);
    expect(conditions(xql)).toEqual(['event_type = ENUM.PROCESS', 'event_sub_type = ENUM.PROCESS_START', WMIC_ONLY, ...VERBS]);
  });
});
