/** Seeding the demo (its accounts and the demo messenger's data) and showing its logins once. */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createDemoSchema, DEMO_DATASET_DEFAULTS, generateDemoDataset } from '../connectors/demo/demo-messenger.dataset.ts';
import { seedDemoAccounts, type DemoLogin } from '../services/seed-demo.ts';
import type { AppContext } from '../server/context.ts';

/** Seeds the demo if the database has no accounts; returns the logins, or undefined when it was seeded already. */
export async function seedDemo(context: AppContext): Promise<DemoLogin[] | undefined> {
  const logins = await seedDemoAccounts(context);
  if (!logins) return undefined;
  await createDemoSchema(context.database.db);
  await generateDemoDataset(context.database.db, DEMO_DATASET_DEFAULTS);
  return logins;
}

/** Prints the logins once and keeps a copy readable only by this user, so they are not lost with the terminal. */
export async function announceLogins(context: AppContext, logins: readonly DemoLogin[], url: string): Promise<void> {
  const file = path.resolve(context.config.WRIT_DATA_DIR, 'demo-logins.txt');
  const lines = [
    'Demo accounts (shown once; a copy is in ' + file + '):',
    ...logins.map(
      (login) => `  ${login.role.padEnd(8)} ${login.email.padEnd(42)} ${login.password}  TOTP ${login.totpSecret}  (${login.organisation})`,
    ),
    '',
    `Log in at ${url}/ with an email, its password, and the code an authenticator app shows for its TOTP secret`,
    '(or `npx writ totp <secret>`, or `oathtool --totp -b <secret>`); the API takes the same at',
    `POST ${url}/api/v1/auth/login and is described at ${url}/api/openapi.json`,
  ];
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  console.log(lines.join('\n'));
}

/**
 * What every start of a demo installation prints: where the web app is, and the link that unlocks the switcher
 * between the demo accounts in the browser that opens it (services/demo-sign-in.ts). The key in the link is made at
 * this start and is good until Writ stops; it sits after `#`, so the browser never sends it in a request line.
 */
export function webAppHint(context: AppContext, url: string): string {
  const file = path.resolve(context.config.WRIT_DATA_DIR, 'demo-logins.txt');
  if (!context.demoKey) return `Open ${url}/ in a browser.`;
  return [
    '',
    `Open the demo in a browser: ${url}/#demo=${context.demoKey}`,
    '  That link lets that browser switch between the demo officer, reviewer, counsel, admin and auditor without',
    '  their passwords and codes, until Writ stops (each start prints a new one). To log in as a real user would,',
    `  open ${url}/ and use an account from ${file}.`,
  ].join('\n');
}
