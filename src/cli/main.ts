/** The `writ` command: one entry point over the same services the HTTP API uses. */
import { parseArgs } from 'node:util';
import { isWritError } from '../core/errors.ts';
import { demoCommand } from './demo.command.ts';
import { agencyCommand, userCommand } from './accounts.command.ts';
import { configDocsCommand, migrateCommand, openapiCommand } from './admin.command.ts';
import { serveCommand } from './serve.command.ts';

const USAGE = `Usage: writ <command> [options]

Commands:
  serve [--no-demo | --demo] [--roles api,worker]
                        Start Writ (HTTP API and background jobs). On an empty embedded database the first start
                        seeds the demo unless --no-demo; on PostgreSQL only with --demo.
  migrate               Apply database migrations and exit.
  demo                  Seed the demo platform and accounts into an empty database, print the logins.
  user add --org <name|id|platform> --email <email> --name <name> --roles <role,...>
                        Create an account; the password is read from standard input (at least 12 characters).
  agency add --name <name> --jurisdiction <KR|US|...> --domain <domain>[,<domain>] [--verified]
                        Add an agency to the directory.
  openapi               Print the OpenAPI document.
  config-docs           Print docs/configuration.md.

Configuration is read from the environment; see docs/configuration.md.`;

export type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  serve: serveCommand,
  migrate: migrateCommand,
  demo: demoCommand,
  user: userCommand,
  agency: agencyCommand,
  openapi: openapiCommand,
  'config-docs': configDocsCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`writ: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest);
  } catch (error) {
    if (isWritError(error)) {
      const errors = Array.isArray(error.extra.errors)
        ? error.extra.errors.map((item: { path: string; message: string }) => `\n  ${item.path}: ${item.message}`).join('')
        : '';
      console.error(`writ ${name}: ${error.detail}${errors}`);
      return 1;
    }
    if (error instanceof Error && error.message.startsWith('Invalid configuration')) {
      console.error(error.message);
      return 1;
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      console.error(`writ ${name}: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

export { parseArgs };
