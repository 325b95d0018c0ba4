/** `writ serve`: the HTTP API and the background jobs, in one process or split by role. */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.ts';
import { rowLevelSecurity } from '../db/agency-scope.ts';
import { currentSigningKey } from '../evidence/signing-key.ts';
import { configurationFingerprints, createContext, startJobs } from '../server/context.ts';
import { recordStartup } from '../services/record-startup.ts';

export async function serveCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { demo: { type: 'boolean' }, 'no-demo': { type: 'boolean' }, roles: { type: 'string' } },
    strict: true,
  });
  const config = loadConfig(values.roles ? { ...process.env, WRIT_ROLES: values.roles } : process.env);
  const started = performance.now();
  // Load the HTTP app's modules while the database opens: start-up time is mostly these two.
  const appModule = import('../server/app.ts');
  const context = await createContext(config);
  const isEmbedded = context.database.kind === 'pglite';
  // The demo seeds itself on an empty embedded database unless refused; on PostgreSQL only when asked.
  const wantsDemo = values['no-demo'] ? false : (values.demo ?? isEmbedded);
  const url = `http://${config.HOST === '0.0.0.0' || config.HOST === '127.0.0.1' ? 'localhost' : config.HOST}:${config.PORT}`;
  const demo = wantsDemo ? await import('./demo-seed.ts') : undefined;
  const logins = demo ? await demo.seedDemo(context) : undefined;
  // The demo sign-in aid (services/demo-sign-in.ts) is on only here: this start wanted the demo, its accounts are in
  // this database, and productions read the demo messenger, not a real platform. Its key lives in memory only.
  const hasDemo = demo !== undefined && config.WRIT_CONNECTOR === 'demo' && (await context.store.read.users.demoAccounts()).length > 0;
  if (hasDemo) context.demoKey = randomBytes(24).toString('base64url');
  // The platform's signing key is made on the first start, so its public half is published before any production.
  const hadKey = (await context.evidence.signingKeys()).length > 0;
  const key = await currentSigningKey(context.keysDir, context.clock.now());
  await recordStartup(context, { ...configurationFingerprints(context), newKey: hadKey ? undefined : key });
  await startJobs(context);

  const { buildApp } = await appModule;
  const app = config.WRIT_ROLES.includes('api') || isEmbedded ? await buildApp(context) : undefined;
  if (app) await app.listen({ port: config.PORT, host: config.HOST });
  context.log.info(
    { ms: Math.round(performance.now() - started), database: context.database.kind, roles: config.WRIT_ROLES },
    'writ ready',
  );
  if (context.database.kind === 'postgres' && (await rowLevelSecurity(context.database.db)) === 'bypassed') {
    context.log.warn(
      'the database role Writ connects as is a superuser or has BYPASSRLS, so row-level security between agencies is not in force; connect as an ordinary role that owns the database (docs/configuration.md)',
    );
  }
  if (app) console.log(`Writ is running on ${url} (${isEmbedded ? `embedded database in ${config.WRIT_DATA_DIR}` : 'PostgreSQL'}).`);
  if (demo && logins) await demo.announceLogins(context, logins, url);
  if (app) console.log(demo?.webAppHint(context, url) ?? `Open ${url}/ in a browser.`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await app?.close();
  await context.close();
  return 0;
}
