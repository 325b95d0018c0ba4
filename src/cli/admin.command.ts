/** `writ migrate`, `writ openapi`, `writ config-docs`. */
import { configurationMarkdown, loadConfig } from '../config/config.ts';
import { buildApp } from '../server/app.ts';
import { createContext } from '../server/context.ts';

export async function migrateCommand(): Promise<number> {
  const context = await createContext(loadConfig());
  await context.close();
  console.log('Migrations applied.');
  return 0;
}

/** The OpenAPI document as the server serves it, from an in-memory database (nothing on disk is touched). */
export async function openapiCommand(): Promise<number> {
  const config = loadConfig({ ...process.env, DATABASE_URL: undefined, LOG_LEVEL: 'silent' });
  const context = await createContext(config, { pgliteInMemory: true });
  const app = await buildApp(context);
  await app.ready();
  process.stdout.write(`${JSON.stringify(app.swagger(), null, 2)}\n`);
  await app.close();
  await context.close();
  return 0;
}

export async function configDocsCommand(): Promise<number> {
  process.stdout.write(configurationMarkdown());
  return 0;
}
