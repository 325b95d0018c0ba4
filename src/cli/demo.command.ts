/** `writ demo`: the demo messenger's data and the demo accounts, on an empty database. */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.ts';
import { createContext } from '../server/context.ts';
import { announceLogins, seedDemo } from './demo-seed.ts';

export async function demoCommand(args: string[]): Promise<number> {
  const config = loadConfig();
  if (args[0] === 'walkthrough') {
    const { values } = parseArgs({ args: args.slice(1), options: { out: { type: 'string' } }, strict: true });
    if (!values.out) {
      console.error('Usage: writ demo walkthrough --out <new folder>');
      return 2;
    }
    const context = await createContext({ ...config, LOG_LEVEL: 'warn' });
    try {
      const { walkthrough } = await import('./walkthrough.ts');
      return await walkthrough(context, values.out, config.PORT);
    } finally {
      await context.close();
    }
  }
  if (args[0] === 'generate') {
    const { values } = parseArgs({ args: args.slice(1), options: { users: { type: 'string' }, logins: { type: 'string' } }, strict: true });
    const users = Number(values.users ?? 'NaN');
    const logins = Number(values.logins ?? '0');
    if (!Number.isInteger(users) || users < 1 || !Number.isInteger(logins) || logins < 0) {
      console.error('Usage: writ demo generate --users <N> [--logins <per user>]');
      return 2;
    }
    const context = await createContext({ ...config, LOG_LEVEL: 'warn' });
    try {
      const { growDemoDataset } = await import('../connectors/demo/demo-messenger.dataset.ts');
      const started = performance.now();
      const counts = await growDemoDataset(context.database.db, { users, loginsPerUser: logins });
      console.log(
        `The demo messenger now has ${counts.accounts} accounts and ${counts.logins} login records (${Math.round(performance.now() - started)} ms).`,
      );
      return 0;
    } finally {
      await context.close();
    }
  }
  if (args.length > 0) {
    console.error('Usage: writ demo | writ demo walkthrough --out <new folder> | writ demo generate --users <N> [--logins <per user>]');
    return 2;
  }
  const context = await createContext(config);
  try {
    const logins = await seedDemo(context);
    if (!logins) {
      console.error('writ demo: this database has accounts already; the demo seeds only an empty one.');
      return 1;
    }
    await announceLogins(context, logins, `http://localhost:${config.PORT}`);
    return 0;
  } finally {
    await context.close();
  }
}
