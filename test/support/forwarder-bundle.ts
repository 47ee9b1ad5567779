/**
 * The Slack forwarder as the stack ships it: lambda/slack-forwarder/handler.ts bundled by esbuild
 * with the stack's own bundling options (LAMBDA_BUNDLING), run in a fresh Node process. The built
 * forwarder accepts only `https://hooks.slack.com/services/…`, so the webhook stand-in serves TLS
 * with a throwaway certificate for hooks.slack.com, the child trusts it (NODE_EXTRA_CA_CERTS), and
 * a preloaded module routes hooks.slack.com:443 to the stand-in's loopback port, as DNS and the
 * network would route it to Slack. Nothing in the bundle is changed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { LAMBDA_BUNDLING } from '../../infra/constructs/hunt-function.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The host the preloaded module routes to loopback. */
export const SLACK_HOST = 'hooks.slack.com';

/** A folder with the built forwarder (`forwarder.mjs`), a certificate for hooks.slack.com and the routing preload. */
export interface ForwarderBundle {
  readonly dir: string;
  readonly tls: { readonly key: string; readonly cert: string };
  /** Node options and environment that route hooks.slack.com:443 to `port` and trust the certificate. */
  routeTo(port: number): { nodeArgs: string[]; env: Record<string, string> };
  remove(): void;
}

/** A throwaway self-signed certificate for hooks.slack.com, valid one day, made with the openssl command. */
function slackCertificate(dir: string): { key: string; cert: string } {
  const key = join(dir, 'slack.key');
  const cert = join(dir, 'slack.pem');
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', `/CN=${SLACK_HOST}`, '-addext', `subjectAltName=DNS:${SLACK_HOST}`, '-keyout', key, '-out', cert,
    ], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`the built-forwarder test needs the openssl command to make a throwaway certificate: ${(error as Error).message}`);
  }
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

/** Routes TLS connections to hooks.slack.com:443 to SLACK_STANDIN_PORT on loopback, keeping the name for SNI and the certificate check. */
const ROUTE_PRELOAD = `import tls from 'node:tls';
const port = Number(process.env.SLACK_STANDIN_PORT);
const connect = tls.connect;
tls.connect = function (options, ...rest) {
  if (options !== null && typeof options === 'object' && options.host === ${JSON.stringify(SLACK_HOST)}) {
    return connect.call(this, { ...options, host: '127.0.0.1', port, servername: options.servername || ${JSON.stringify(SLACK_HOST)} }, ...rest);
  }
  return connect.call(this, options, ...rest);
};
`;

export async function buildForwarderBundle(): Promise<ForwarderBundle> {
  const dir = mkdtempSync(join(tmpdir(), 'forwarder-bundle-'));
  const b = LAMBDA_BUNDLING;
  await build({
    entryPoints: [join(ROOT, 'lambda/slack-forwarder/handler.ts')], outfile: join(dir, 'forwarder.mjs'), bundle: true, platform: 'node',
    format: b.format, target: b.target, minify: b.minify, sourcemap: b.sourceMap, sourcesContent: b.sourcesContent, keepNames: b.keepNames,
    mainFields: b.mainFields, banner: { js: b.banner ?? '' }, logLevel: 'silent',
  });
  const tls = slackCertificate(dir);
  writeFileSync(join(dir, 'route-slack.mjs'), ROUTE_PRELOAD);
  return {
    dir, tls,
    routeTo: (port) => ({
      nodeArgs: ['--import', pathToFileURL(join(dir, 'route-slack.mjs')).href],
      env: { SLACK_STANDIN_PORT: String(port), NODE_EXTRA_CA_CERTS: join(dir, 'slack.pem') },
    }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
