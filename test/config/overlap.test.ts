/** The window overlap's setting: `auto` by default (a fifth of each run's new time), or whole minutes when set. */
import { describe, expect, it } from 'vitest';
import { CONTEXT_KEY, ContextError, parseHuntContext } from '../../infra/context.js';
import { ConfigError, DEFAULTS, defaultRunSettings, ENV, loadConfig } from '../../lambda/config.js';

const RESOURCES = { [ENV.tableName]: 'table', [ENV.topicArn]: 'arn:aws:sns:eu-west-1:123456789012:hunt', [ENV.secretId]: 'secret' };
const MIN = 60_000;

describe('overlap and ingest lag settings', () => {
  it('default to an automatic overlap and a two-minute ingest lag', () => {
    expect(DEFAULTS.overlapMinutes).toBe('auto');
    expect(defaultRunSettings()).toMatchObject({ overlapMs: 'auto', ingestLagMs: 2 * MIN });
    expect(loadConfig(RESOURCES).settings).toMatchObject({ overlapMs: 'auto', ingestLagMs: 2 * MIN });
    expect(loadConfig({ ...RESOURCES, [ENV.overlapMinutes]: 'auto' }).settings.overlapMs).toBe('auto');
  });

  it('keep an explicit number of minutes, 0 included', () => {
    const settings = loadConfig({ ...RESOURCES, [ENV.overlapMinutes]: '10', [ENV.ingestLagMinutes]: '5' }).settings;
    expect(settings).toMatchObject({ overlapMs: 10 * MIN, ingestLagMs: 5 * MIN });
    expect(loadConfig({ ...RESOURCES, [ENV.overlapMinutes]: '0' }).settings.overlapMs).toBe(0);
    expect(parseHuntContext((k) => (k === CONTEXT_KEY.overlapMinutes ? 10 : undefined)).runEnvironment[ENV.overlapMinutes]).toBe('10');
  });

  it('stop the synth naming the key for anything else', () => {
    for (const bad of ['Auto', '1441', '-1', '2.5']) {
      expect(() => loadConfig({ ...RESOURCES, [ENV.overlapMinutes]: bad })).toThrow(ConfigError);
      let err: unknown;
      try { parseHuntContext((k) => (k === CONTEXT_KEY.overlapMinutes ? bad : undefined)); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(ContextError);
      expect((err as ContextError).problems).toEqual([`hunt:overlapMinutes must be a whole number from 0 to 1440 or auto (got "${bad}")`]);
    }
  });
});
