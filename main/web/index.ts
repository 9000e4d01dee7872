/**
 * `npm run web`: main's services under plain Node, serving the renderer to a browser.
 *   node out/main/main/web/index.js [--host 127.0.0.1] [--port 8080] [--config-dir DIR]
 *     [--no-local] [--no-demo] [--known-hosts FILE] [--ssh-config FILE]
 *     [--tls-cert FILE --tls-key FILE] [--insecure]
 * Beyond loopback it serves https only (--tls-cert/--tls-key), unless --insecure is given.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from '../app.js';
import { appRoot } from '../core/appRoot.js';
import { listenRefusal } from './webAuth.js';
import { startWebServer } from './webServer.js';
function defaultConfigDir(): string {
  const base = process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
  return join(base, 'VirtDeck-web');
}

async function readTlsFile(path: string, option: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new Error(`cannot read ${option} ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}): give a PEM file this user may read.`, { cause: error });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8080' },
      'config-dir': { type: 'string' },
      'no-local': { type: 'boolean', default: false },
      'no-demo': { type: 'boolean', default: false },
      'known-hosts': { type: 'string' },
      'ssh-config': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      insecure: { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`virtdeck web: --port must be a number from 0 to 65535, not "${values.port}"`);
    process.exit(2);
  }
  const certFile = values['tls-cert'];
  const keyFile = values['tls-key'];
  if ((certFile === undefined) !== (keyFile === undefined)) {
    console.error('virtdeck web: --tls-cert and --tls-key go together: give both files (PEM certificate and its private key), or neither.');
    process.exit(2);
  }
  // Checked before anything starts, so a refused run changes nothing and says why in one line.
  const refusal = listenRefusal(values.host, certFile !== undefined, values.insecure);
  if (refusal) {
    console.error(`virtdeck web: ${refusal}`);
    process.exit(2);
  }
  const tls = certFile && keyFile ? { cert: await readTlsFile(certFile, '--tls-cert'), key: await readTlsFile(keyFile, '--tls-key') } : undefined;
  const app = await createApp(
    {
      mode: 'web',
      configDir: values['config-dir'] ?? defaultConfigDir(),
      versions: { node: process.versions.node, v8: process.versions.v8 },
      systemLocale: Intl.DateTimeFormat().resolvedOptions().locale,
      userKnownHosts: values['known-hosts'],
      sshConfigPath: values['ssh-config'],
    },
    { includeLocal: !values['no-local'], includeDemo: !values['no-demo'] },
  );
  const server = await startWebServer({
    registry: app.registry,
    staticDir: join(appRoot, 'out', 'renderer'),
    host: values.host,
    port,
    tls,
    insecure: values.insecure,
  });
  console.log(`VirtDeck web mode: open ${server.url}`);
  const stop = async () => {
    await server.close();
    await app.dispose();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(`virtdeck web: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
