/**
 * Hostile rows: one bad row among good rows in a real query reply (wrong shapes and types, a 1 MB
 * command line, control and bidi characters, markup aimed at email, Slack and the Chatbot JSON).
 * Each bad row gives a clear row problem or a safe rendering, and the good rows' pairs still go out.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN, wmicRow } from '../integration/harness.js';
import { ScriptedSns, startRig, type Rig } from './rig.js';
import { assertSafeEntry } from './safe-message.js';

const PW = `Pw${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const LINE = (target: string, extra = '') => `wmic /node:"${target}" /user:"CORP\\svc" /password:"${PW}" process call create "powershell.exe -enc SQBFAFgA${extra}"`;

let rig: Rig;
const sns = new ScriptedSns();
beforeAll(async () => {
  // Injected replies stand in for the real poll, so the real queries never finish: lift the parallel limit.
  rig = await startRig({ server: { maxParallelQueries: 100_000 } });
  sns.install();
});
afterAll(async () => rig.close());

function successReply(rows: readonly unknown[]): unknown {
  return { reply: { status: 'SUCCESS', number_of_results: rows.length, query_cost: { '1098781949': 0.001 }, remaining_quota: 4.9, results: { data: rows } } };
}

let caseNo = 0;
/** Runs one window whose reply holds a good row, `hostile`, and another good row; returns what this run sent. */
async function runAmongGood(hostile: (time: number) => unknown) {
  caseNo += 1;
  rig.clock.now += 20 * MIN;
  const time = rig.clock.now - 10 * MIN;
  const good = [wmicRow(time, `GOOD-${caseNo}`, LINE(`g${caseNo}a`)), wmicRow(time, `GOOD-${caseNo}`, LINE(`g${caseNo}b`))];
  rig.xsiam.faults.add('get_query_results', { json: successReply([good[0], hostile(time), good[1]]) });
  const before = sns.accepted.length;
  const summary = await rig.run();
  const sent = sns.accepted.slice(before).map((entry) => ({ entry, parsed: assertSafeEntry(entry) }));
  // An incident's message lists every pair it covers in `pairs`.
  const pairs = sent.flatMap(({ parsed }) => (parsed.doc.pairs ?? [parsed.doc]) as Record<string, unknown>[]).map((p) => `${String(p.sourceHost)}→${String(p.targetHost)}`);
  // The good rows' pairs went out whatever the bad row was.
  expect(pairs).toEqual(expect.arrayContaining([`GOOD-${caseNo}→g${caseNo}a`, `GOOD-${caseNo}→g${caseNo}b`]));
  for (const { entry } of sent) expect(JSON.stringify(entry)).not.toContain(PW);
  const hostileSent = sent.filter(({ parsed }) => !String(parsed.doc.sourceHost).startsWith(`GOOD-${caseNo}`)).map((s) => s.parsed);
  return { summary, hostileSent };
}

const hostileRow = (time: number, patch: Record<string, unknown>, target = `h${caseNo}`) => {
  const row: Record<string, unknown> = { ...wmicRow(time, `BAD-${caseNo}`, LINE(target)), ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete row[k];
  return row;
};

describe('a row of the wrong shape is a row problem; the good rows still go through', () => {
  const problems: [string, Record<string, unknown>][] = [
    ['command line missing', { action_process_image_command_line: undefined }],
    ['command line a number', { action_process_image_command_line: 1234 }],
    ['command line null', { action_process_image_command_line: null }],
    ['command line empty', { action_process_image_command_line: '   ' }],
    ['command line an array', { action_process_image_command_line: ['wmic', '/node:x', 'process', 'call', 'create', 'calc'] }],
    ['agent_hostname a number', { agent_hostname: 42 }],
    ['agent_hostname an object', { agent_hostname: { name: 'x' } }],
    ['actor_effective_username an array', { actor_effective_username: ['CORP\\a', 'CORP\\b'] }],
    ['agent_id a boolean', { agent_id: true }],
    ['actor_process_command_line an object', { actor_process_command_line: { toString: 'x' } }],
    ['_time beyond any Date (1e20 ms)', { _time: 1e20 }],
    ['_time on 30 February', { _time: '2026-02-30 10:00:00.000 UTC' }],
  ];
  for (const [name, patch] of problems) {
    it(`${name}: counted as a row problem`, async () => {
      const { summary, hostileSent } = await runAmongGood((t) => hostileRow(t, patch));
      expect(summary.status).toBe('completed');
      expect(summary.rowProblems).toBe(1);
      expect(hostileSent).toEqual([]);
    });
  }
});

describe('odd but usable rows are notified safely', () => {
  it('event_id an object: the pair is still notified (no event id)', async () => {
    const { summary, hostileSent } = await runAmongGood((t) => hostileRow(t, { event_id: { id: 1 } }));
    expect(summary.rowProblems).toBe(0);
    expect(hostileSent).toHaveLength(1);
  });

  it('_time null: the pair is notified with the run time', async () => {
    const { hostileSent } = await runAmongGood((t) => hostileRow(t, { _time: null }));
    expect(hostileSent).toHaveLength(1);
  });

  it('"NULL" and "TRUE" strings (the stream form) are read as null and true', async () => {
    const { hostileSent } = await runAmongGood((t) => hostileRow(t, { actor_effective_username: 'NULL', agent_id: 'NULL' }));
    expect(hostileSent[0]?.doc.user).toBeNull();
  });

  it('a __proto__ key in the row pollutes nothing', async () => {
    const { hostileSent } = await runAmongGood((t) => JSON.parse(JSON.stringify(hostileRow(t, {})).replace('{', '{"__proto__":{"polluted":"yes"},')) as unknown);
    expect(hostileSent).toHaveLength(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('hunt fields only under the row\'s own "__proto__" key are data: the row finds nothing', async () => {
    const { hostileSent } = await runAmongGood((t) => {
      const { action_process_image_command_line: line, ...rest } = hostileRow(t, {});
      return JSON.parse(JSON.stringify(rest).replace('{', `{"__proto__":${JSON.stringify({ action_process_image_command_line: line })},`)) as unknown;
    });
    expect(hostileSent).toEqual([]);
  });

  it('a 1 MB command line: the message stays under 256 KB, the text capped', async () => {
    const { summary, hostileSent } = await runAmongGood((t) => hostileRow(t, { action_process_image_command_line: LINE(`h${caseNo}`, ` ${'A'.repeat(1_048_576)}`) }));
    expect(summary.status).toBe('completed');
    expect(hostileSent).toHaveLength(1);
    const doc = hostileSent[0]?.doc as { commandLine: { value: string }; remoteCommand: { value: string; truncated: boolean } };
    expect(doc.commandLine.value.length).toBeLessThan(65_536);
    expect(doc.remoteCommand.value.length).toBeLessThan(65_536);
  });

  // Found by this suite (the claim item passed DynamoDB's 400 KB limit); fixed in e05608e by capping in the detector.
  it('a 1 MB host name: capped in the stored record, the message and the sourceHost attribute', async () => {
    const host = `H${'x'.repeat(1_048_576)}`;
    const { hostileSent } = await runAmongGood((t) => hostileRow(t, { agent_hostname: host }));
    expect(hostileSent).toHaveLength(1);
    expect(String(hostileSent[0]?.doc.sourceHost).length).toBeLessThanOrEqual(1_024);
    const stored = (await rig.findingItems()).filter((i) => String(i.sourceHost).startsWith('Hxxx'));
    expect(stored).toHaveLength(1);
    expect(String(stored[0]?.sourceHost).length).toBeLessThanOrEqual(1_024);
  });

  it('a 100 KB user name is capped', async () => {
    const { hostileSent } = await runAmongGood((t) => hostileRow(t, { actor_effective_username: `CORP\\${'u'.repeat(100_000)}` }));
    expect(String(hostileSent[0]?.doc.user).length).toBeLessThanOrEqual(1_024);
  });

  it('CR/LF, ANSI escapes and NUL in the host and the command: one-line subject, nothing hidden in the email', async () => {
    const { hostileSent } = await runAmongGood((t) => hostileRow(t, {
      agent_hostname: 'WS-1\r\nBcc: victim@example.com\u001b[31m\u0000',
      action_process_image_command_line: LINE(`h${caseNo}`, '\r\n\u001b[2J fake: "all clear"\u0007'),
    }));
    expect(hostileSent).toHaveLength(1);
    expect(hostileSent[0]?.subject).not.toMatch(/[\r\n]/);
    expect(hostileSent[0]?.email).not.toContain('\nBcc: victim');
  });

  it('bidi overrides, zero-width and tag characters are made visible, not obeyed', async () => {
    const { hostileSent } = await runAmongGood((t) => hostileRow(t, {
      agent_hostname: 'WS\u202Egpj.exe\u200B\u2066',
      action_process_image_command_line: LINE(`h${caseNo}`, ' \u202Etxt.exe \u{E0041}\u{E0042}'),
    }));
    expect(hostileSent).toHaveLength(1);
  });

  it('markup aimed at email readers (HTML, script) stays inert text', async () => {
    const { hostileSent } = await runAmongGood((t) => hostileRow(t, {
      action_process_image_command_line: LINE(`h${caseNo}`, ' <script>alert(1)</script><img src=x onerror=alert(2)>'),
      actor_process_command_line: '<a href="https://evil.example/reset">Reset your password</a>',
    }));
    expect(hostileSent).toHaveLength(1);
    expect(hostileSent[0]?.chatbot.content.description).not.toContain('<script>');
  });

  it('Slack mentions and links typed on the line do not ping or link in the channel', async () => {
    const { hostileSent } = await runAmongGood((t) => hostileRow(t, {
      agent_hostname: '<!channel> WS-9',
      actor_effective_username: '<@U0123ABC>',
      action_process_image_command_line: LINE(`h${caseNo}`, ' <!here> <https://evil.example|click to fix> *bold* `tick` ```block```'),
    }));
    expect(hostileSent).toHaveLength(1);
  });

  it('text that tries to close the Chatbot JSON is kept inside its string', async () => {
    const { hostileSent } = await runAmongGood((t) => hostileRow(t, {
      agent_hostname: 'WS"}],"content":{"title":"all clear"},"x":["',
      action_process_image_command_line: LINE(`h${caseNo}`, ' "}}\\" ,"version":"9"'),
    }));
    expect(hostileSent).toHaveLength(1);
    expect(hostileSent[0]?.chatbot.content.title).not.toBe('all clear');
  });

  it('lone UTF-16 surrogates become U+FFFD (the message is valid UTF-8)', async () => {
    const { hostileSent } = await runAmongGood((t) => hostileRow(t, { agent_hostname: 'WS-\uD800-\uDFFF', action_process_image_command_line: LINE(`h${caseNo}`, ' \uDBFF') }));
    expect(hostileSent).toHaveLength(1);
  });

  it('passwords in every quoting on the line never reach the message', async () => {
    const { hostileSent } = await runAmongGood((t) => hostileRow(t, {
      action_process_image_command_line: `wmic /node:"h${caseNo}" /user:"CORP\\a" /PASSWORD:${PW}x process call create "powershell.exe -enc SQBFAFgA -password:'${PW}y z'"`,
    }));
    expect(hostileSent).toHaveLength(1);
  });

  it('a source fanning out to 300 targets (three rows of 100) is one incident told in 3 messages of 100 pairs (one thread); the good pair goes out on its own', async () => {
    caseNo += 1;
    rig.clock.now += 20 * MIN;
    const time = rig.clock.now - 10 * MIN;
    // Three rows of 100 targets each: within the per-row cap (lambda/detect/caps.ts), 300 pairs of one source.
    const targets = (part: number): string => Array.from({ length: 100 }, (_, i) => `fan${caseNo}x${part * 100 + i}`).join(',');
    const rows = [
      wmicRow(time, `GOOD-${caseNo}`, LINE(`g${caseNo}a`)),
      ...[0, 1, 2].map((part) => wmicRow(time, `BAD-${caseNo}`, `wmic /node:${targets(part)} process call create "cmd.exe /c C:\\Users\\Public\\x.exe"`)),
    ];
    rig.xsiam.faults.add('get_query_results', { json: successReply(rows) });
    const before = sns.accepted.length;
    const summary = await rig.run();
    const sent = sns.accepted.slice(before).map((e) => assertSafeEntry(e));
    // Two incidents in four messages, under the storm limit: no digest, and not 301 messages either.
    expect(summary, JSON.stringify({ ...summary, notifications: summary.notifications.length })).toMatchObject({ status: 'completed', digests: 0, messages: 4, notified: 301 });
    const fan = sent.filter((m) => String(m.doc.sourceHost) === `BAD-${caseNo}`);
    expect(fan.map((m) => (m.doc.pairs as unknown[]).length)).toEqual([100, 100, 100]);
    expect(new Set(fan.map((m) => (m.chatbot as { metadata?: { threadId?: string } }).metadata?.threadId)).size).toBe(1);
    expect(fan.every((m) => /\(100 new pairs\)$/.test(m.subject))).toBe(true);
    expect(sent.filter((m) => !fan.includes(m)).map((m) => m.doc.targetHost)).toEqual([`g${caseNo}a`]);
  });
});

// Found by this suite and fixed: the XSIAM client used to fail the whole query on one such row,
// dropping the window's good rows on every retry. Now the row is reported and the rest go on.
describe('rows of the wrong shape or type are skipped alone, not the whole query', () => {
  // The XSIAM client normalises rows before the detector sees them; these rows are valid JSON.
  const cases: [string, (t: number) => unknown][] = [
    ['_time is unreadable text', (t) => hostileRow(t, { _time: 'yesterday' })],
    ['_time is an object', (t) => hostileRow(t, { _time: { ms: 1 } })],
    ['the row is a number', () => 42],
    ['the row is null', () => null],
    ['the row is an array', (t) => [hostileRow(t, {})]],
    ['the row is a string', () => 'wmic /node:x process call create calc'],
  ];
  it('a clear row problem naming the row and field, and the checkpoint moves on', async () => {
    rig.clock.now += 20 * MIN;
    const before = await rig.checkpoint();
    rig.xsiam.faults.add('get_query_results', { json: successReply([wmicRow(rig.clock.now - 10 * MIN, 'GOOD', LINE('g')), { _time: 'yesterday' }]) });
    const summary = await rig.run();
    expect(summary.status).toBe('completed');
    expect(summary.rowProblems).toBeGreaterThanOrEqual(1);
    expect((await rig.checkpoint())?.coveredUntil).toBeGreaterThan(before?.coveredUntil ?? 0);
  });

  for (const [name, make] of cases) {
    it(`${name}: the good rows' pairs are notified`, async () => {
      const { summary } = await runAmongGood(make);
      expect(summary.status).toBe('completed');
      expect(summary.rowProblems).toBeGreaterThanOrEqual(1);
    });
  }
});

