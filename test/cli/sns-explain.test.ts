import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSnsStandin, type SnsStandin } from '../support/sns-standin.js';
import { errorReply } from '../support/sns-query.js';
import { hunt, spawnCli, tempDir } from './harness.js';

/** No credentials anywhere in the chain: no env keys, no files, no instance metadata. */
const NO_AWS = {
  AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '', AWS_PROFILE: '',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_CONFIG_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONTAINER_CREDENTIALS_FULL_URI: '', AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '', AWS_WEB_IDENTITY_TOKEN_FILE: '',
  AWS_REGION: 'eu-west-1', NODE_NO_WARNINGS: '1',
};

describe('--sns-topic: errors name the real cause, and the findings are still shown', () => {
  let sns: SnsStandin;
  beforeAll(async () => { sns = await startSnsStandin(); });
  afterAll(async () => { await sns.close(); });

  it('without AWS credentials', async () => {
    const state = tempDir();
    const r = await spawnCli(`npx tsx local/cli.ts --state ${state} --sample --sns-topic arn:aws:sns:eu-west-1:111122223333:wmic-hunt`, { env: NO_AWS });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/notification\(s\) were not sent: no usable AWS credentials: set AWS_PROFILE/);
    expect(r.stdout).toMatch(/NOT SENT — the notification failed \(\d+\)/);
    expect(r.stdout).toMatch(/WS-FIN-023 → /);
  }, 90_000);

  it('a topic that does not exist, in the JSON document too', async () => {
    const state = tempDir();
    const r = await spawnCli(`npx tsx local/cli.ts --state ${state} --sample --output json --sns-topic arn:aws:sns:us-east-1:123456789012:no-such-topic`, {
      env: { ...NO_AWS, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'standin-secret', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SNS: sns.endpoint },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('topic not found: check the ARN');
    const doc = JSON.parse(r.stdout) as { status: string; unsentPairs: { source: string }[]; error: { name: string } };
    expect(doc.status).toBe('failed');
    expect(doc.error.name).toBe('PublishFailedError');
    expect(doc.unsentPairs.length).toBeGreaterThan(0);
  }, 90_000);
});

it('access denied: the caller may not publish to the topic', async () => {
  // SNS answers a caller without sns:Publish with 403 AuthorizationError
  // (https://docs.aws.amazon.com/sns/latest/api/API_PublishBatch.html#API_PublishBatch_Errors)
  const server = createServer((req, res) => {
    req.resume();
    const reply = errorReply(403, 'AuthorizationError', 'User is not authorized to perform: SNS:PublishBatch on resource', 'req-1');
    res.writeHead(reply.status, { 'content-type': 'text/xml' }).end(reply.body);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  try {
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const r = await spawnCli(`npx tsx local/cli.ts --state ${tempDir()} --sample --sns-topic arn:aws:sns:us-east-1:123456789012:wmic-hunt`, {
      env: { ...NO_AWS, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'standin-secret', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SNS: endpoint },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('access denied: these AWS credentials may not sns:Publish to the topic');
    expect(r.stdout).toMatch(/WS-FIN-023 → fs01/);
  } finally {
    server.close();
  }
}, 90_000);

describe('real tenant: the key never on the command line', () => {
  it('reads XSIAM_API_KEY_FILE and names a missing file without any key material', async () => {
    const r = await hunt(['--state', tempDir()], { env: { XSIAM_TENANT: 'acme.xdr.us.paloaltonetworks.com', XSIAM_API_KEY_ID: '42', XSIAM_API_KEY_FILE: '/nonexistent/key' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('XSIAM_API_KEY_FILE: cannot read /nonexistent/key (ENOENT)');
  });
});

describe('explain', () => {
  it('--help prints help', async () => {
    const r = await hunt(['explain', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run hunt -- explain/);
  });

  it('says it is reading stdin when stdin is a terminal', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    stdin.end('{"event_id":"e1","action_process_image_command_line":"wmic /node:db01 process call create calc.exe"}\n');
    const r = await hunt(['explain'], { stdin });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('explain: reading xdr_data rows (JSONL) from stdin; end with Ctrl-D');
    expect(JSON.parse(r.stdout)).toMatchObject({ event_id: 'e1', remoteExec: true, remoteTargets: ['db01'] });
  });

  it('help lists every command', async () => {
    const r = await hunt(['help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--min-severity');
    expect(r.stdout).toContain('explain');
    expect(r.stdout).toContain('xql');
  });
});
