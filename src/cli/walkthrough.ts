/**
 * `writ demo walkthrough --out <dir>`: the whole path on the demo platform in one command. The demo officer submits a
 * request, verification runs, demo counsel approves it and starts the production, the officer downloads the package
 * into <dir>, and it is verified. Every step goes through the same use cases as the API.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { DEMO_REFERENCE_INSTANT } from '../connectors/demo/demo-messenger.dataset.ts';
import { verifyBagDirectory } from '../evidence/bag-verifier.ts';
import { extractTar } from '../evidence/tar.ts';
import { getFindings } from '../services/review-request.ts';
import { approveRequest } from '../services/approve-request.ts';
import { actorOf } from '../services/authenticate.ts';
import { downloadProduction, getProduction, startProduction } from '../services/production.ts';
import { getRequest } from '../services/get-request.ts';
import { confirmRequester } from '../services/verify-request.ts';
import { submitRequest } from '../services/submit-request.ts';
import { uploadDocument } from '../services/upload-document.ts';
import { startJobs, type AppContext } from '../server/context.ts';
import { announceLogins, seedDemo } from './demo-seed.ts';

// A one-page PDF standing in for the court's warrant.
const WARRANT_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n' +
    '4 0 obj<</Length 74>>stream\nBT /F1 18 Tf 72 770 Td (Search warrant 2026-A-1234 - demo document only) Tj ET\nendstream endobj\n' +
    '5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

export async function walkthrough(context: AppContext, out: string, port: number): Promise<number> {
  const target = path.resolve(out);
  if (existsSync(target) && readdirSync(target).length > 0) {
    console.error(`writ demo walkthrough: ${target} is not empty; name a new folder.`);
    return 2;
  }
  const step = (text: string) => console.log(`\n▸ ${text}`);
  const logins = await seedDemo(context);
  if (logins) await announceLogins(context, logins, `http://localhost:${port}`);
  const officerUser = await context.store.read.users.findByEmail('officer@smpa.police.example.kr');
  const counselUser = await context.store.read.users.findByEmail('counsel@demo-messenger.example');
  if (!officerUser || !counselUser) {
    console.error('writ demo walkthrough: this database has accounts but not the demo ones; use a fresh WRIT_DATA_DIR.');
    return 1;
  }
  const officer = actorOf(officerUser, 'cli');
  const counsel = actorOf(counselUser, 'cli');
  const jobs = await startJobs(context);

  step(`${officerUser.displayName} (${officerUser.organisationName}) uploads the warrant.`);
  const document = await uploadDocument({ ...context, maxBytes: context.config.WRIT_MAX_UPLOAD_BYTES }, officer, {
    fileName: 'warrant-2026-A-1234.pdf',
    content: (async function* () {
      yield WARRANT_PDF;
    })(),
  });
  console.log(`  stored: ${document.fileName}, ${document.size} bytes, SHA-256 ${document.sha256}`);

  step('The officer submits a disclosure request: subscriber data and login IPs of one account, for 60 days.');
  const to = DEMO_REFERENCE_INSTANT;
  const from = new Date(Date.parse(to) - 60 * 86_400_000).toISOString();
  const receipt = await submitRequest(context, officer, {
    payload: {
      kind: 'disclosure',
      jurisdiction: 'KR',
      caseReference: 'SMPA-CYBER-2026-0042',
      summary: 'Investment fraud: the account arranged payments from victims.',
      legalProcess: {
        instrumentType: 'search_warrant',
        issuingAuthority: 'Seoul Central District Court',
        issuerType: 'court',
        reference: '2026-A-1234',
        documentIds: [document.id],
      },
      targets: [{ kind: 'phone', value: '+82 10-1234-5678' }],
      categories: ['subscriber', 'traffic'],
      dateRange: { from, to },
    },
  });
  console.log(`  receipt: ${receipt.trackingNumber}, state ${receipt.state}, payload SHA-256 ${receipt.payloadSha256}`);

  step('Verification runs in the background: the agency is verified in the directory, but is the sender as expected?');
  await jobs.drain();
  const verified = await getRequest(context, counsel, { reference: receipt.trackingNumber });
  console.log(`  ${receipt.trackingNumber} is now ${verified.request.state}`);
  if (verified.request.state === 'verifying') {
    for (const hold of verified.holds ?? []) console.log(`  held: ${hold.code}: ${hold.detail}`);
    step('Counsel checks the officer with the agency through its official channel, and confirms the requester.');
    const confirmed = await confirmRequester(context, counsel, { reference: receipt.trackingNumber });
    console.log(`  ${receipt.trackingNumber} is now ${confirmed.state}`);
  }

  step('The findings the desk reads before deciding (rules/*.yaml and policy.yaml):');
  const { findings } = await getFindings(context, counsel, { reference: receipt.trackingNumber });
  for (const finding of findings)
    console.log(`  ${finding.severity.padEnd(10)} ${finding.code}: ${finding.message.en} [${finding.source.cite}]`);
  const blocks = findings.filter((finding) => finding.severity === 'block').length;
  console.log(`  ${blocks === 0 ? 'Nothing blocks it' : `${blocks} finding(s) block it`}.`);

  step(`${counselUser.displayName} (counsel) approves it and starts the production.`);
  await approveRequest(context, counsel, {
    reference: receipt.trackingNumber,
    body: { reason: 'A search warrant from a Korean court covers subscriber and traffic data.' },
  });
  await startProduction(context, counsel, { reference: receipt.trackingNumber });
  await jobs.drain();
  const production = await getProduction(context, counsel, { reference: receipt.trackingNumber });
  for (const outcome of production.outcomes)
    console.log(`  ${outcome.target} · ${outcome.category}: ${outcome.status}, ${outcome.records} record(s)`);
  console.log(`  signed with ${production.keyFingerprint}; tag manifest SHA-256 ${production.tagManifestSha256}`);

  step(`The officer downloads the package into ${target}.`);
  const download = await downloadProduction(context, officer, { reference: receipt.trackingNumber });
  await extractTar(download.content, target);
  const [folder] = readdirSync(target);
  const bag = path.join(target, folder ?? '');
  const result = await verifyBagDirectory(bag, production.keyFingerprint ? { trustedFingerprints: [production.keyFingerprint] } : {});
  console.log(`  writ verify: ${result.ok ? 'OK' : `FAILED\n    ${result.problems.join('\n    ')}`}`);

  step('Check it yourself, with stock tools or with Writ:');
  console.log(`  cd ${bag}`);
  console.log('  sha256sum -c manifest-sha256.txt && sha256sum -c tagmanifest-sha256.txt');
  console.log(
    '  openssl pkeyutl -verify -pubin -inkey signing-key.pem -rawin -in tagmanifest-sha256.txt -sigfile tagmanifest-sha256.txt.sig',
  );
  console.log(`  npx writ verify ${bag}`);
  return result.ok ? 0 : 1;
}
