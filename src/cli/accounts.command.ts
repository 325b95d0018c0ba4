/** `writ user add`, `writ user tokens`, `writ user revoke-token` and `writ agency add`: the operator's own way in. */
import { parseArgs } from 'node:util';
import { CLI_ACTOR } from '../core/actor.ts';
import { WritError } from '../core/errors.ts';
import { loadConfig } from '../config/config.ts';
import { addAgency } from '../services/add-agency.ts';
import { addUser } from '../services/add-user.ts';
import { listTokensOf, revokeAnyToken } from '../services/api-tokens.ts';
import { ensurePlatform } from '../services/seed-demo.ts';
import { createContext } from '../server/context.ts';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new WritError('VALIDATION_FAILED', 'Pipe the password on standard input, e.g. `read -rs P; echo "$P" | writ user add ...`.');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

const USER_USAGE = `Usage: writ user add --org <name|id|platform> --email <email> --name <name> --roles <role,...>
       writ user tokens <email>
       writ user revoke-token <token id>`;

/** `writ user tokens <email>`: a person's live API tokens, one a line; `writ user revoke-token <id>` ends one. */
async function tokenCommand(sub: 'tokens' | 'revoke-token', argument: string | undefined): Promise<number> {
  if (!argument) {
    console.error(USER_USAGE);
    return 2;
  }
  const context = await createContext(loadConfig());
  try {
    if (sub === 'revoke-token') {
      const { ended } = await revokeAnyToken(context, CLI_ACTOR, { id: argument });
      console.log(`Revoked token ${argument}${ended > 1 ? ` and ${ended - 1} minted with it` : ''}.`);
      return 0;
    }
    const tokens = await listTokensOf(context, CLI_ACTOR, { email: argument });
    if (tokens.length === 0) console.log('No live tokens.');
    for (const token of tokens) {
      console.log(
        [
          token.id,
          JSON.stringify(token.name),
          `made ${token.createdAt}`,
          `last used ${token.lastUsedAt ?? 'never'}`,
          `ends ${token.expiresAt}`,
          `roles ${token.scope ? token.scope.join(',') : 'all'}`,
          ...(token.parentTokenId ? [`minted with ${token.parentTokenId}`] : []),
        ].join('  '),
      );
    }
    return 0;
  } finally {
    await context.close();
  }
}

export async function userCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'tokens' || sub === 'revoke-token') return tokenCommand(sub, rest[0]);
  if (sub !== 'add') {
    console.error(USER_USAGE);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: { org: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, roles: { type: 'string' } },
    strict: true,
  });
  const password = await readStdin();
  const context = await createContext(loadConfig());
  try {
    const org = values.org ?? 'platform';
    const organisationId =
      org === 'platform'
        ? await ensurePlatform(context, 'Platform')
        : ((await context.store.read.organisations.find(org)) ?? (await context.store.read.organisations.findByName(org)))?.id;
    if (!organisationId) throw new WritError('ORGANISATION_NOT_FOUND', 'No such organisation; add an agency with `writ agency add` first.');
    const created = await addUser(context, CLI_ACTOR, {
      organisationId,
      email: values.email,
      displayName: values.name,
      roles: values.roles?.split(',').map((role) => role.trim()),
      password,
    });
    console.log(`Created account ${created.id} (${values.email}).`);
    return 0;
  } finally {
    await context.close();
  }
}

export async function agencyCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'add') {
    console.error(
      'Usage: writ agency add --name <name> --jurisdiction <code> --domain <domain>[,<domain>] [--phone <+number> --phone-source <where from>] [--verified]',
    );
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: 'string' },
      jurisdiction: { type: 'string' },
      domain: { type: 'string' },
      phone: { type: 'string' },
      'phone-source': { type: 'string' },
      verified: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const context = await createContext(loadConfig());
  try {
    const agency = await addAgency(context, CLI_ACTOR, {
      name: values.name,
      jurisdiction: values.jurisdiction,
      emailDomains: values.domain?.split(',').map((domain) => domain.trim().toLowerCase()),
      ...(values.phone !== undefined ? { verificationPhone: { number: values.phone, source: values['phone-source'] } } : {}),
      verified: values.verified,
    });
    console.log(`Added agency ${agency.id} (${agency.name}, ${agency.verificationStatus}).`);
    return 0;
  } finally {
    await context.close();
  }
}
