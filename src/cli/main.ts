/** The `writ` command: one entry point over the same services the HTTP API uses. */
import { isWritError } from '../core/errors.ts';

const USAGE = `Usage: writ <command> [options]

Commands:
  serve [--no-demo | --demo] [--roles api,worker]
                        Start Writ (HTTP API and background jobs). On an empty embedded database the first start
                        seeds the demo unless --no-demo; on PostgreSQL only with --demo.
  migrate               Apply database migrations and exit.
  demo                  Seed the demo platform and accounts into an empty database, print the logins.
  demo walkthrough --out <dir>
                        The tour: the demo officer submits, counsel approves and produces, the package is
                        downloaded into <dir> and verified. Works on a fresh WRIT_DATA_DIR.
  demo generate --users <N> [--logins <per user>]
                        Grow the demo messenger (for benchmarks): N more accounts with their login records.
  user add --org <name|id|platform> --email <email> --name <name> --roles <role,...>
                        Create an account; the password is read from standard input (at least 12 characters).
  user tokens <email> | user revoke-token <token id>
                        List a person's live API tokens (never their secrets), or revoke one and every token
                        minted with it.
  agency add --name <name> --jurisdiction <KR|US|...> --domain <domain>[,<domain>] [--phone <+number> --phone-source <where from>] [--verified]
                        Add an agency to the directory.
  verify <bag-folder | package.tar | package.zip | package.tar.age> [--identity <age key file>] [--fingerprint sha256:<hex>]
                        Check a production offline: every hash, the file set and the signature, and the
                        delivery receipt beside the bag (writ-receipt-<production id>.json) when it is there.
  intake import <file.eml | file.mbox | dir>... [--no-acknowledge]
                        Store and read exported mail as if it had come to the mailbox: a draft request of each
                        new message; receipts are sent by the worker unless --no-acknowledge.
  audit verify [--tree-head <head.json>]... | --receipt <file> | --proof <file> --tree-head <file> --key <pem>
                        Check the audit log: the whole of it against its signed tree heads (and heads you hold),
                        naming the first bad event; or offline, a delivery receipt or a proof the API served.
  report (--half <YYYY-H1|YYYY-H2> | --from <date> --to <date>) --out <dir> [--band-below <n>]
                        Write the transparency report (report.json, report.csv, report.pdf), the audit log's tree
                        head it was computed under, and removal decisions as DSA statements of reasons.
  review <request.json | -> [--at <instant>] [--explain]
                        Review a request written by hand, storing nothing: print as JSON its findings and the
                        verdict per target × category with citations (the body POST /api/v1/review takes;
                        docs/rules.md). --explain adds every rule's walk and the facts as the rules saw them.
  totp <secret>         Print the current code for a TOTP secret (the demo accounts' are in data/demo-logins.txt).
  keys list | keys rotate
                        List the platform's signing keys, or make a new one sign new productions (old keys stay
                        published, so every package ever signed still verifies).
  openapi               Print the OpenAPI document.
  config-docs           Print docs/configuration.md.

Configuration is read from the environment; see docs/configuration.md.`;

export type Command = (args: string[]) => Promise<number>;

// Loaded on demand: `writ user add` need not load the HTTP server.
const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve.command.ts')).serveCommand,
  migrate: async () => (await import('./admin.command.ts')).migrateCommand,
  demo: async () => (await import('./demo.command.ts')).demoCommand,
  user: async () => (await import('./accounts.command.ts')).userCommand,
  agency: async () => (await import('./accounts.command.ts')).agencyCommand,
  verify: async () => (await import('./verify.command.ts')).verifyCommand,
  audit: async () => (await import('./audit.command.ts')).auditCommand,
  report: async () => (await import('./report.command.ts')).reportCommand,
  keys: async () => (await import('./keys.command.ts')).keysCommand,
  totp: async () => (await import('./totp.command.ts')).totpCommand,
  review: async () => (await import('./review.command.ts')).reviewCommand,
  intake: async () => (await import('./intake.command.ts')).intakeCommand,
  openapi: async () => (await import('./admin.command.ts')).openapiCommand,
  'config-docs': async () => (await import('./admin.command.ts')).configDocsCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`writ: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  try {
    const command = await load();
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
