import { beforeAll, describe, expect, it } from 'vitest';
import { embeddedCardProblems, parseHuntSettings } from '../../infra/hunt-settings.js';
import { DEFAULT_HUNT_ID, EMBEDDED_HUNTS } from '../../lambda/modules/index.js';
import { parseSchedule, type ScheduleSpec } from '../../infra/schedule.js';
import { spreadSchedules } from '../../infra/schedule-spread.js';
import { synthHunt, type Synthesized } from './synth.js';

type Rule = { Properties: { ScheduleExpression?: string; Targets?: { Input?: string }[] } };
const SHADOW_COPY = 'HuntQuery-Windows-ShadowCopy-Delete';

describe('every card of hunts/ deployed', () => {
  let built: Synthesized;
  beforeAll(() => {
    built = synthHunt({ 'hunt:hunts': { [SHADOW_COPY]: { schedule: 'rate(1 hour)' } } });
  }, 240_000);

  it('gives each hunt besides the flagship a schedule rule that names it, on its own schedule', () => {
    const rules = Object.values(built.template.findResources('AWS::Events::Rule')) as Rule[];
    const named = rules.map((r) => JSON.parse(r.Properties.Targets?.[0]?.Input ?? '{}') as { huntId?: string });
    const others = EMBEDDED_HUNTS.map((h) => h.card.id).filter((id) => id !== DEFAULT_HUNT_ID);
    expect(named.map((n) => n.huntId).filter(Boolean).sort()).toEqual(others.sort());
    // Each on its own interval, spread by its place among the hunts (infra/schedule-spread.ts).
    const ids = EMBEDDED_HUNTS.map((h) => h.card.id);
    const expected = spreadSchedules(ids.map((id) => parseSchedule('x', id === SHADOW_COPY ? 'rate(1 hour)' : 'rate(15 minutes)') as ScheduleSpec));
    const shadowCopy = rules.find((r) => r.Properties.Targets?.[0]?.Input?.includes(SHADOW_COPY));
    expect(shadowCopy?.Properties.ScheduleExpression).toBe(expected[ids.indexOf(SHADOW_COPY)]?.expression);
    expect(shadowCopy?.Properties.ScheduleExpression).toMatch(/^cron\(\d+ \* \* \* \? \*\)$/);
    // the flagship keeps the single-hunt rule: no input, the stack-wide interval
    const flagship = rules.find((r) => r.Properties.Targets?.[0]?.Input === undefined && r.Properties.ScheduleExpression?.includes('/15 '));
    expect(flagship?.Properties.ScheduleExpression).toBe(expected[ids.indexOf(DEFAULT_HUNT_ID)]?.expression);
  });

  it('starts two hunts on the same interval at different minutes, each a valid cron', () => {
    const rules = Object.values(built.template.findResources('AWS::Events::Rule')) as Rule[];
    const quarterHourly = rules.map((r) => r.Properties.ScheduleExpression ?? '').filter((e) => e.includes('/15 '));
    expect(quarterHourly).toHaveLength(EMBEDDED_HUNTS.length - 1);
    expect(new Set(quarterHourly.map((e) => e.split(/[(/]/)[1])).size).toBe(quarterHourly.length);
    for (const e of quarterHourly) expect(typeof parseSchedule('x', e)).toBe('object');
  });
});

describe('hunt:hunts', () => {
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
