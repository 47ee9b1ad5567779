/** HUNT_HUNT_SETTINGS: each hunt's own mode, minimum severity, topic and allowlist over the stack's (lambda/hunt-config.ts). */
import { describe, expect, it } from 'vitest';
import { ConfigError, ENV, loadConfig } from '../../lambda/config.js';
import { DEFAULT_ALLOWLIST } from '../../lambda/detect/index.js';
import { allowlistForHunt, configForHunt, shadowHuntIds } from '../../lambda/hunt-config.js';

const BASE = { [ENV.tableName]: 't', [ENV.topicArn]: 'arn:aws:sns:us-east-1:123456789012:findings', [ENV.secretId]: 's' };
const OWN_TOPIC = 'arn:aws:sns:us-east-1:123456789012:wmi';
const ENTRY = { id: 'fs02-agent', owner: 'it@corp.example', reason: 'backup agent', expires: '2099-12-31', sourceHost: 'FS02' };

describe('per-hunt settings in the Lambda', () => {
  it('a hunt\'s own mode wins over the stack\'s both ways; its minimum severity, topic and allowlist apply to it alone', () => {
    const config = loadConfig({
      ...BASE, [ENV.mode]: 'shadow', [ENV.minSeverity]: 'high',
      [ENV.huntSettings]: JSON.stringify({ A: { mode: 'live', minSeverity: 'critical', topicArn: OWN_TOPIC, allowlist: { schemaVersion: 1, entries: [ENTRY] } }, B: { minSeverity: 'low' } }),
    });
    const a = configForHunt(config, 'A');
    expect([a.shadow, a.settings.minSeverity, a.topicArn]).toEqual([false, 'critical', OWN_TOPIC]);
    const b = configForHunt(config, 'B');
    expect([b.shadow, b.settings.minSeverity, b.topicArn]).toEqual([true, 'low', BASE[ENV.topicArn]]);
    expect(configForHunt(config, 'C')).toBe(config);
    expect(shadowHuntIds(config, ['A', 'B', 'C'])).toEqual(['B', 'C']);
    expect(allowlistForHunt(config, 'A', DEFAULT_ALLOWLIST).entries.map((e) => e.id)).toEqual([...DEFAULT_ALLOWLIST.entries.map((e) => e.id), 'fs02-agent']);
    expect(allowlistForHunt(config, 'B', DEFAULT_ALLOWLIST)).toBe(DEFAULT_ALLOWLIST);
  });

  it('a bad value fails the start naming the variable, the hunt and the key', () => {
    let err: unknown;
    try {
      loadConfig({ ...BASE, [ENV.huntSettings]: JSON.stringify({ A: { mode: 'paused', topicArn: 'findings', allowlist: { schemaVersion: 1, entries: [{ id: 'x' }] }, colour: 'red' } }) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual(expect.arrayContaining([
      `${ENV.huntSettings} A.colour is not a per-hunt setting`,
      `${ENV.huntSettings} A.mode must be one of live, shadow`,
      `${ENV.huntSettings} A.topicArn must be an SNS topic ARN`,
      `${ENV.huntSettings} A.allowlist: entry "x": missing owner`,
    ]));
    expect(() => loadConfig({ ...BASE, [ENV.huntSettings]: '{not json' })).toThrow(/HUNT_HUNT_SETTINGS must be a JSON object/);
  });
});
