import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContextError } from '../../infra/context.js';
import { createHuntApp } from '../../infra/hunt-app.js';
import { embeddedCardProblems, huntAllowlistWarnings, parseHuntSettings } from '../../infra/hunt-settings.js';
import { ENV } from '../../lambda/config.js';
import { DEFAULT_HUNT_ID, EMBEDDED_HUNTS } from '../../lambda/modules/index.js';
import { parseSchedule, type ScheduleSpec } from '../../infra/schedule.js';
import { spreadSchedules } from '../../infra/schedule-spread.js';
import { logicalId, synthHunt, type Synthesized } from './synth.js';

type Rule = { Properties: { ScheduleExpression?: string; Targets?: { Input?: string }[] } };
const SHADOW_COPY = 'HuntQuery-Windows-ShadowCopy-Delete';
const WMI = 'HuntQuery-Windows-WMI-RemoteExec-TargetSide';
const entry = (id: string, host: string): Record<string, string> => ({ id, owner: 'soc@corp.example', reason: 'the backup agent (CHG-7)', expires: '2099-12-31', sourceHost: host });
const dir = mkdtempSync(join(tmpdir(), 'hunt-allowlist-'));
/** A hunt's allowlist given as a file, in the format of lambda/hunts/allowlist.json. */
const ALLOWLIST_FILE = join(dir, 'shadow-copy.allowlist.json');
writeFileSync(ALLOWLIST_FILE, JSON.stringify({ schemaVersion: 1, entries: [entry('bkp-vendor', 'BKP0?')] }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Three hunts, each with settings of its own (the stack stays live, high). */
const THREE_HUNTS = {
  [DEFAULT_HUNT_ID]: { mode: 'shadow', minSeverity: 'critical' },
  [WMI]: { schedule: 'rate(30 minutes)', minSeverity: 'critical', allowlist: [entry('fs02-agent', 'FS02')], routing: 'own' },
  [SHADOW_COPY]: { schedule: 'rate(1 hour)', mode: 'live', allowlist: ALLOWLIST_FILE, routing: 'shared' },
};

/** A CloudFormation value with each token written as <logical id>, for reading JSON built with Stack.toJsonString. */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (Array.isArray(v['Fn::Join'])) return (v['Fn::Join'][1] as unknown[]).map(flatten).join(v['Fn::Join'][0] as string);
  if (typeof v['Ref'] === 'string') return `<${v['Ref']}>`;
  return `<${JSON.stringify(value)}>`;
}

describe('every card of hunts/ deployed, three hunts with settings of their own', () => {
  let built: Synthesized;
  beforeAll(() => {
    built = synthHunt({ 'hunt:hunts': THREE_HUNTS });
  }, 240_000);

  it('gives the Lambda each hunt\'s own mode, minimum severity, allowlist and topic', () => {
    const { template } = built;
    const fn = template.findResources('AWS::Lambda::Function')[logicalId(template, 'AWS::Lambda::Function', '/Hunt/Function/')] as { Properties: { Environment: { Variables: Record<string, unknown> } } };
    const vars = fn.Properties.Environment.Variables;
    expect(vars[ENV.mode]).toBe('live');
    const own = JSON.parse(flatten(vars[ENV.huntSettings])) as Record<string, Record<string, unknown>>;
    const wmiTopic = logicalId(template, 'AWS::SNS::Topic', `/HuntTopic-${WMI}/`);
    expect(own).toEqual({
      [DEFAULT_HUNT_ID]: { mode: 'shadow', minSeverity: 'critical' },
      [WMI]: { minSeverity: 'critical', topicArn: `<${wmiTopic}>`, allowlist: { schemaVersion: 1, entries: [entry('fs02-agent', 'FS02')] } },
      [SHADOW_COPY]: { mode: 'live', allowlist: { schemaVersion: 1, entries: [entry('bkp-vendor', 'BKP0?')] } },
    });
  });

  it('gives the hunt routed "own" a topic (the findings topic\'s key and readers) the function may publish to, and an output', () => {
    const { template } = built;
    const wmiTopic = logicalId(template, 'AWS::SNS::Topic', `/HuntTopic-${WMI}/`);
    const shared = logicalId(template, 'AWS::SNS::Topic', '/Notifications/HuntTopic/');
    const topics = template.findResources('AWS::SNS::Topic') as Record<string, { Properties: { DisplayName: string; KmsMasterKeyId: unknown } }>;
    expect(topics[wmiTopic]!.Properties.DisplayName).toBe(`${WMI} findings`);
    expect(topics[wmiTopic]!.Properties.KmsMasterKeyId).toEqual(topics[shared]!.Properties.KmsMasterKeyId);
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain(`{"Action":"sns:Publish","Effect":"Allow","Resource":{"Ref":"${wmiTopic}"}}`);
    expect(JSON.stringify(template.findOutputs('*'))).toContain(`"Ref":"${wmiTopic}"`);
  });

  it('adds the daily shadow report while a hunt is in shadow by its own mode (the stack is live)', () => {
    const rules = Object.values(built.template.findResources('AWS::Events::Rule')) as Rule[];
    expect(rules.some((r) => r.Properties.Targets?.[0]?.Input === JSON.stringify({ action: 'shadow-report' }))).toBe(true);
  });

  it('gives each hunt besides the flagship a schedule rule that names it, on its own schedule', () => {
    const rules = Object.values(built.template.findResources('AWS::Events::Rule')) as Rule[];
    const named = rules.map((r) => JSON.parse(r.Properties.Targets?.[0]?.Input ?? '{}') as { huntId?: string });
    const others = EMBEDDED_HUNTS.map((h) => h.card.id).filter((id) => id !== DEFAULT_HUNT_ID);
    expect(named.map((n) => n.huntId).filter(Boolean).sort()).toEqual(others.sort());
    // Each on its own interval, spread by its place among the hunts (infra/schedule-spread.ts).
    const ids = EMBEDDED_HUNTS.map((h) => h.card.id);
    const own: Record<string, string> = { [SHADOW_COPY]: 'rate(1 hour)', [WMI]: 'rate(30 minutes)' };
    const expected = spreadSchedules(ids.map((id) => parseSchedule('x', own[id] ?? 'rate(15 minutes)') as ScheduleSpec));
    const shadowCopy = rules.find((r) => r.Properties.Targets?.[0]?.Input?.includes(SHADOW_COPY));
    expect(shadowCopy?.Properties.ScheduleExpression).toBe(expected[ids.indexOf(SHADOW_COPY)]?.expression);
    expect(shadowCopy?.Properties.ScheduleExpression).toMatch(/^cron\(\d+ \* \* \* \? \*\)$/);
    // the flagship keeps the single-hunt rule: no input, the stack-wide interval
    const flagship = rules.find((r) => r.Properties.Targets?.[0]?.Input === undefined && r.Properties.ScheduleExpression?.includes('/15 '));
    expect(flagship?.Properties.ScheduleExpression).toBe(expected[ids.indexOf(DEFAULT_HUNT_ID)]?.expression);
  });

  it('starts the three hunts (every hour, 30 and 15 minutes) at different minutes, each a valid cron', () => {
    const rules = Object.values(built.template.findResources('AWS::Events::Rule')) as Rule[];
    const hunts = rules.filter((r) => r.Properties.Targets?.[0]?.Input === undefined || r.Properties.Targets[0].Input.includes('huntId'))
      .map((r) => r.Properties.ScheduleExpression ?? '').filter((e) => e.startsWith('cron('));
    expect(hunts).toHaveLength(EMBEDDED_HUNTS.length);
    const minutes = hunts.flatMap((e) => {
      const [first, every] = e.slice('cron('.length).split(' ')[0]!.split('/').map(Number);
      return every === undefined ? [first!] : Array.from({ length: 60 / every }, (_, k) => first! + k * every);
    });
    expect(new Set(minutes).size).toBe(minutes.length);
    for (const e of hunts) expect(typeof parseSchedule('x', e)).toBe('object');
  });
});

describe('hunt:hunts', () => {
  it('names each bad per-hunt value by its key, with the fix', () => {
    const { problems } = parseHuntSettings({
      [WMI]: { mode: 'paused', minSeverity: 'urgent', routing: 'team-b', allowlist: [{ id: 'x', sourceHost: 'FS02' }] },
      [SHADOW_COPY]: { allowlist: 'hunts/nope.allowlist.json' },
      [DEFAULT_HUNT_ID]: { allowlist: [{ ...entry('example-sccm-push', 'X') }] },
    });
    expect(problems).toHaveLength(8);
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(new RegExp(`^hunt:hunts\\.${WMI}\\.mode must be one of live, shadow .*leave it out to follow hunt:mode`)),
      expect.stringMatching(new RegExp(`^hunt:hunts\\.${WMI}\\.minSeverity must be one of low, medium, high, critical`)),
      `hunt:hunts.${WMI}.allowlist: entry "x": missing owner`,
      `hunt:hunts.${WMI}.allowlist: entry "x": missing reason`,
      `hunt:hunts.${WMI}.allowlist: entry "x": missing expires`,
      expect.stringMatching(new RegExp(`^hunt:hunts\\.${WMI}\\.routing must be "shared" .* or "own"`)),
      expect.stringMatching(new RegExp(`^hunt:hunts\\.${SHADOW_COPY}\\.allowlist \\(hunts/nope.allowlist.json\\) must be a readable JSON allowlist file`)),
      `hunt:hunts.${DEFAULT_HUNT_ID}.allowlist: entry "example-sccm-push" has the id of an entry of lambda/hunts/allowlist.json (give it its own id)`,
    ]));
  });

  it('a bad per-hunt value stops the synth, naming the key', () => {
    let thrown: unknown;
    try {
      createHuntApp({ context: { 'hunt:hunts': { [SHADOW_COPY]: { mode: 'Shadow' } } } });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ContextError);
    expect((thrown as ContextError).message).toContain(`hunt:hunts.${SHADOW_COPY}.mode must be one of live, shadow`);
  });

  it('warns about an expired entry of a hunt\'s own allowlist (it deploys, but mutes nothing)', () => {
    const { hunts } = parseHuntSettings({ [WMI]: { allowlist: [{ ...entry('old-change', 'FS09'), expires: '2020-01-31' }] } });
    expect(huntAllowlistWarnings(hunts)).toEqual([{
      id: `hunt:allowlistExpired:${WMI}:old-change`,
      message: `Allowlist entry "old-change" of hunt:hunts.${WMI}.allowlist has expired and no longer suppresses anything: renew or remove it.`,
    }]);
  });

  it('stops a per-hunt allowlist too long for the Lambda\'s environment', () => {
    const long = Array.from({ length: 20 }, (_, i) => entry(`host-${i}`, `HOST-${i}`));
    expect(parseHuntSettings({ [WMI]: { allowlist: long } }).problems).toEqual([expect.stringContaining('move long per-hunt allowlists into lambda/hunts/allowlist.json')]);
  });

  it('names an unknown hunt, an unknown setting and a bad schedule, all at once', () => {
    const { problems } = parseHuntSettings({ 'HuntQuery-Nope': {}, [SHADOW_COPY]: { schedule: 'every hour', colour: 'red' } });
    expect(problems).toEqual([
      expect.stringContaining('"HuntQuery-Nope" is not a hunt of hunts/'),
      expect.stringContaining(`hunt:hunts.${SHADOW_COPY}.colour is not a per-hunt setting`),
      expect.stringContaining(`hunt:hunts.${SHADOW_COPY}.schedule must be`),
    ]);
  });

  it('takes the JSON text -c gives, and runs every hunt when empty', () => {
    expect(parseHuntSettings(JSON.stringify({ [SHADOW_COPY]: { schedule: 'rate(2 hours)' } })).hunts.find((h) => h.id === SHADOW_COPY)?.schedule?.intervalMinutes).toBe(120);
    expect(parseHuntSettings({}).hunts.map((h) => h.id)).toEqual(EMBEDDED_HUNTS.map((h) => h.card.id));
  });

  it('the embedded cards are hunts/ as it is', () => {
    expect(embeddedCardProblems()).toEqual([]);
  });
});
