/**
 * The web app in a real browser (Debian's Chromium through playwright-core) against a real `writ serve` on loopback,
 * started as a newcomer starts it: a fresh data directory, the demo seeded, the printed link opened. In English and in
 * Korean: the officer submits a request with a warrant, the reviewer confirms the sender and approves it, counsel
 * produces it, and the officer downloads the package, which `writ verify` accepts. Officer pages are used at a phone's
 * width in the Korean run. The public pages come after: the transparency report counts what the flows did, and the
 * user whose data the English flow disclosed reads their notice once counsel releases it. axe-core checks the main
 * pages; the page's CSP must refuse nothing the app does.
 *
 * With WRIT_SCREENSHOTS=<folder> it also saves screenshots of the main pages there (docs/screenshots/).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../web/src/i18n/en.ts';
import { ko } from '../../web/src/i18n/ko.ts';
import { INSTRUMENT_FORMS } from '../../src/core/review/vocabulary.ts';
import { WEB_DIST } from '../../src/server/web.ts';

const CHROMIUM = process.env.WRIT_CHROMIUM ?? '/usr/bin/chromium';
const hasBrowser = existsSync(CHROMIUM);
const screenshots = process.env.WRIT_SCREENSHOTS;
if (!hasBrowser) {
  // CI installs Debian's chromium (.ci/run); without it this suite cannot say anything, so it says so.
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)`);
  console.warn(`Browser suite skipped: ${CHROMIUM} is not installed (apt-get install chromium).`);
}

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

interface DemoLogin {
  readonly role: string;
  readonly email: string;
  readonly password: string;
  readonly totpSecret: string;
}

/** The text of a quoted-printable body, as a mail client shows it (the code may sit across a soft line break). */
const quotedPrintable = (mail: string): string =>
  mail.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** The newest modification time of any file under a folder. */
function newestIn(folder: string): number {
  return Math.max(
    0,
    ...readdirSync(folder, { withFileTypes: true }).map((entry) => {
      const full = path.join(folder, entry.name);
      return entry.isDirectory() ? newestIn(full) : statSync(full).mtimeMs;
    }),
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function warrantPdf(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  page.drawText('SEARCH WARRANT', { x: 72, y: 760, size: 24, font });
  page.drawText('Seoul Central District Court, 2026-A-1234', { x: 72, y: 720, size: 12, font });
  return Buffer.from(await pdf.save());
}

describe.runIf(hasBrowser)('the web app in Chromium', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'writ-browser-'));
  let server: ChildProcess;
  let output = '';
  let base = '';
  let demoLink = '';
  let logins: DemoLogin[] = [];
  let browser: Browser;
  let warrant: Buffer;
  const axeSource = readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');
  const cspViolations: string[] = [];
  /** The request the English flow delivered: the report counts it, and its user is notified. */
  let delivered = '';

  beforeAll(async () => {
    expect(existsSync(path.join(WEB_DIST, 'index.html')), 'the web app is not built: npm run build').toBe(true);
    expect(newestIn('web/src'), 'web/dist is older than web/src: npm run build').toBeLessThanOrEqual(
      statSync(path.join(WEB_DIST, 'index.html')).mtimeMs,
    );
    const port = await freePort();
    server = spawn(process.execPath, ['bin/writ.js', 'serve'], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        WRIT_DATA_DIR: path.join(root, 'data'),
        DATABASE_URL: '',
        LOG_LEVEL: 'warn',
        // The report of the half-year in progress is what the flows fill: this platform opts into publishing it, and a
        // threshold of 2 lets the few requests they make show as rows (a real platform keeps the default of 10).
        WRIT_REPORT_PUBLISH_OPEN: 'true',
        WRIT_REPORT_BAND_BELOW: '2',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // What a newcomer reads: the hint `npm start` prints, with the link that unlocks the demo switcher.
    for (const started = Date.now(); !/Open the demo in a browser: \S+/.test(output);) {
      if (Date.now() - started > 120_000 || server.exitCode !== null) throw new Error(`writ serve did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    demoLink = /Open the demo in a browser: (\S+)/.exec(output)![1]!;
    base = new URL(demoLink).origin;
    expect(demoLink).toMatch(/#demo=[A-Za-z0-9_-]{20,}$/);
    logins = readFileSync(path.join(root, 'data', 'demo-logins.txt'), 'utf8')
      .split('\n')
      .flatMap((line) => {
        const match = /^\s+(\w+)\s+(\S+@\S+)\s+(\S+)\s+TOTP (\S+)/.exec(line);
        return match ? [{ role: match[1]!, email: match[2]!, password: match[3]!, totpSecret: match[4]! }] : [];
      });
    expect(logins.map((login) => login.role)).toContain('officer');
    warrant = await warrantPdf();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    if (screenshots) mkdirSync(screenshots, { recursive: true });
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    server?.kill('SIGTERM');
    await new Promise((resolve) => (server?.exitCode !== null ? resolve(undefined) : server.once('exit', resolve)));
    rmSync(root, { recursive: true, force: true });
  });

  const open = async (language: 'en' | 'ko'): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ locale: language === 'ko' ? 'ko-KR' : 'en-US', viewport: DESKTOP, acceptDownloads: true });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/.test(message.text())) cspViolations.push(message.text());
    });
    page.on('pageerror', (error) => cspViolations.push(`page error: ${error.message}`));
    return { context, page };
  };

  /** axe-core, injected through the debugging protocol (the page's CSP rightly refuses inline scripts). */
  const accessibility = async (page: Page, name: string) => {
    await page.evaluate(axeSource);
    // A string, run in the page: this file is type-checked for Node, without the DOM's types.
    const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((result) =>
      result.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        nodes: violation.nodes.slice(0, 3).map((node) => node.target.join(' ') + ' ' + (node.failureSummary || '')),
      })))`)) as Array<{ id: string; impact: string; nodes: string[] }>;
    const serious = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious, `${name}: ${JSON.stringify(serious)}`).toEqual([]);
  };

  const shoot = async (page: Page, name: string) => {
    if (!screenshots) return;
    await page.evaluate('window.scrollTo(0, 0)');
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: false });
  };

  /** Nothing on the page is wider than the screen (no sideways scrolling). */
  const fitsWidth = async (page: Page, name: string) => {
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
    const culprits =
      overflow > 0
        ? await page.evaluate(
            `[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && e.children.length === 0).slice(0, 5).map((e) => e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 60))`,
          )
        : [];
    expect(overflow, `${name} scrolls sideways by ${overflow}px: ${JSON.stringify(culprits)}`).toBeLessThanOrEqual(0);
  };

  const switchTo = async (page: Page, T: typeof en, who: RegExp) => {
    await page.getByRole('button', { name: T.demo.switchTo }).click();
    await page.getByRole('menuitem', { name: who }).click();
    await page.getByRole('menu').waitFor({ state: 'detached' });
  };

  const flow = async (language: 'en' | 'ko') => {
    const T = language === 'ko' ? ko : en;
    const { context, page } = await open(language);
    const officer = logins.find((login) => login.email === 'officer@smpa.police.example.kr')!;
    await page.goto(demoLink);
    await expect.poll(() => page.url()).toContain('/login');
    await page.getByRole('heading', { name: T.login.title }).waitFor();
    await page.getByRole('heading', { name: T.demo.title }).waitFor();
    expect(page.url(), 'the demo key leaves the address bar').not.toContain('demo=');
    if (language === 'en') {
      await accessibility(page, 'login');
      await shoot(page, 'login');
      // The officer signs in as anyone would: email, password and the authenticator's code, by keyboard.
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement?.textContent')).toBe(T.app.skipToContent);
      await page.getByLabel(T.login.email).focus();
      await page.keyboard.type(officer.email);
      await page.keyboard.press('Tab');
      await page.keyboard.type(officer.password);
      await page.keyboard.press('Tab');
      expect(await page.evaluate("document.activeElement?.getAttribute('autocomplete')")).toBe('one-time-code');
      const code = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(officer.totpSecret) }).generate();
      await page.keyboard.type(code);
      await page.keyboard.press('Enter');
    } else {
      await page.setViewportSize(PHONE);
      await page.getByRole('button', { name: new RegExp(`Kim Ji-ho`) }).click();
    }
    await page.getByRole('heading', { name: T.requests.title }).waitFor();
    await fitsWidth(page, 'my requests');
    if (language === 'en') await accessibility(page, 'my requests');

    // The guided form.
    await page.getByRole('main').getByRole('link', { name: T.nav.newRequest }).first().click();
    await page.getByRole('heading', { name: T.form.title }).waitFor();
    await page.getByLabel(T.form.issuingAuthority, { exact: true }).fill('Seoul Central District Court');
    await page.getByLabel(T.form.reference, { exact: true }).fill('2026-A-1234');
    await page.getByTestId('document-input').setInputFiles({ name: 'warrant.pdf', mimeType: 'application/pdf', buffer: warrant });
    await page.getByText(/SHA-256 [0-9a-f]{64}/).waitFor();
    // The preview draws the warrant's first page.
    await expect.poll(() => page.locator('canvas.doc-canvas').getAttribute('width').then(Number)).toBeGreaterThan(100);
    await page
      .getByLabel(T.form.targets, { exact: true })
      .fill('minjun.kim\n+82 10-1234-5678\nhttps://demo-messenger.example/@minjun.kim\n');
    const recognised = page.getByTestId('recognised-targets');
    expect(await recognised.getByLabel(T.form.targetKind.replace('{{value}}', 'minjun.kim'), { exact: true }).inputValue()).toBe(
      'username',
    );
    expect(await recognised.getByLabel(T.form.targetKind.replace('{{value}}', '+82 10-1234-5678'), { exact: true }).inputValue()).toBe(
      'phone',
    );
    const url = recognised.getByLabel(T.form.targetKind.replace('{{value}}', 'https://demo-messenger.example/@minjun.kim'), {
      exact: true,
    });
    expect(await url.inputValue()).toBe('url');
    await page.getByLabel(T.form.dateFrom, { exact: true }).fill('2026-01-01');
    await page.getByLabel(T.form.dateTo, { exact: true }).fill('2026-11-30');
    // Facts for the legal review: the warrant as Korean law names it (shown with its Korean name) and a target's role.
    await page.getByLabel(T.form.facts.toggle, { exact: true }).check();
    const facts = page.getByTestId('review-facts');
    const korean = INSTRUMENT_FORMS.kr_search_warrant;
    await facts.getByLabel(T.form.facts.form, { exact: true }).selectOption({ label: `${korean.en} — ${korean.original}` });
    await facts
      .getByLabel(T.form.facts.roleOf.replace('{{value}}', 'minjun.kim'), { exact: true })
      .selectOption({ label: T.targetRoles.suspect });
    await page.getByRole('heading', { name: T.form.findingsBefore }).waitFor();
    await expect.poll(() => page.getByText(T.form.findingsChecking).count(), { timeout: 10_000 }).toBe(0);
    await fitsWidth(page, 'new request');
    if (language === 'en') await accessibility(page, 'new request');
    await shoot(page, `new-request${language === 'ko' ? '-ko-phone' : ''}`);
    const sent = page.waitForRequest((request) => request.method() === 'POST' && new URL(request.url()).pathname === '/api/v1/requests');
    await page.getByRole('button', { name: T.form.submit }).click();
    const body = (await sent).postDataJSON() as {
      facts?: { instrument?: { form?: string }; targets?: Array<{ value: string; role?: string }> };
    };
    expect(body.facts?.instrument?.form).toBe('kr_search_warrant');
    expect(body.facts?.targets).toEqual([{ value: 'minjun.kim', role: 'suspect' }]);
    await page.waitForURL(/\/agency\/requests\/WR-\d{4}-\d{6}$/);
    const tracking = /WR-\d{4}-\d{6}/.exec(page.url())![0];
    await page.getByRole('heading', { name: tracking }).waitFor();
    await page.getByRole('heading', { name: T.request.timeline }).waitFor();
    await fitsWidth(page, 'request');

    // The reviewer confirms the sender (a new account's first request is held) and approves.
    await page.setViewportSize(DESKTOP);
    await switchTo(page, T, /Riley Reviewer/);
    await page.getByRole('heading', { name: T.desk.queueTitle }).waitFor();
    if (language === 'en') {
      await accessibility(page, 'queue');
      await shoot(page, 'queue');
    }
    await page.getByRole('link', { name: T.desk.openRequest.replace('{{tracking}}', tracking) }).click();
    await page.getByRole('heading', { name: tracking }).waitFor();
    await page.getByRole('button', { name: T.desk.confirmRequester }).click({ timeout: 30_000 });
    await page.getByRole('button', { name: T.desk.resolve }).click();
    await page
      .getByText(/minjun\.kim · /)
      .first()
      .waitFor();
    if (language === 'en') await accessibility(page, 'desk request');
    await page.getByRole('button', { name: T.desk.approve }).click();
    await page.getByText(T.states.approved).first().waitFor();
    await shoot(page, `desk-request${language === 'ko' ? '-ko' : ''}`);

    // Counsel produces it; the page follows the production to its end.
    await switchTo(page, T, /Casey Counsel/);
    await page.getByRole('link', { name: T.desk.openRequest.replace('{{tracking}}', tracking) }).click();
    await page.getByRole('button', { name: T.desk.produce }).click();
    await page.getByRole('table', { name: T.request.outcomes }).waitFor({ timeout: 60_000 });
    await page.getByText(T.outcomes.produced).first().waitFor();

    // The officer downloads it, and it verifies.
    if (language === 'ko') await page.setViewportSize(PHONE);
    await switchTo(page, T, /Kim Ji-ho/);
    await page.getByRole('link', { name: tracking }).click();
    const download = page.getByRole('link', { name: T.request.download, exact: true });
    await download.waitFor();
    await page.getByRole('heading', { name: T.request.verifyTitle }).waitFor();
    await fitsWidth(page, 'delivered request');
    if (language === 'en') await accessibility(page, 'officer request');
    await shoot(page, `officer-request${language === 'ko' ? '-ko-phone' : ''}`);
    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    const saved = path.join(root, `${tracking}.tar`);
    await file.saveAs(saved);
    const verified = spawnSync(process.execPath, ['bin/writ.js', 'verify', saved], { encoding: 'utf8', timeout: 60_000 });
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);
    await context.close();
    return tracking;
  };

  it('English: an officer submits, the reviewer approves, counsel produces, the officer downloads', async () => {
    delivered = await flow('en');
    expect(delivered).toMatch(/^WR-/);
  }, 240_000);

  it('Korean: the same flow, in Korean, with the officer on a phone-width screen', async () => {
    await flow('ko');
  }, 240_000);

  it('an emergency: the desk asks, the officer answers, a callback confirms, counsel other than the caller approves and produces', async () => {
    const T = en;
    const { context, page } = await open('en');
    await page.goto(demoLink);
    await page.getByRole('button', { name: /Alex Morgan/ }).click();
    await page.getByRole('heading', { name: T.requests.title }).waitFor();
    await page.getByRole('main').getByRole('link', { name: T.nav.newRequest }).first().click();
    await page.getByLabel(T.form.kind, { exact: true }).selectOption('emergency');
    await page.getByLabel(T.form.instrumentType, { exact: true }).selectOption('emergency_request');
    await page.getByLabel(T.form.issuerType, { exact: true }).selectOption('police');
    await page.getByTestId('document-input').setInputFiles({ name: 'attestation.pdf', mimeType: 'application/pdf', buffer: warrant });
    await page.getByText(/SHA-256 [0-9a-f]{64}/).waitFor();
    await page.getByLabel(T.form.targets, { exact: true }).fill('minjun.kim');
    await page.getByLabel(T.form.dateFrom, { exact: true }).fill('2026-11-01');
    await page.getByLabel(T.form.dateTo, { exact: true }).fill('2026-11-30');
    // Not attested yet: the form says what is missing and will not send.
    await page.getByText(T.form.missing.replace('{{fields}}', T.form.emergencyTitle)).waitFor();
    await page.getByLabel(T.form.danger).fill('A kidnapped child is held by the account holder; the location is needed within hours.');
    await page.getByLabel(T.form.attestation).check();
    await page.getByRole('button', { name: T.form.submit }).click();
    await page.waitForURL(/\/agency\/requests\/WR-\d{4}-\d{6}$/);
    const tracking = /WR-\d{4}-\d{6}/.exec(page.url())![0];

    await switchTo(page, T, /Riley Reviewer/);
    // Open emergencies come first in the queue.
    const first = page.getByRole('table').getByRole('link').first();
    expect(await first.textContent()).toBe(tracking);
    await first.click();
    await page.getByRole('heading', { name: T.desk.twoPerson }).waitFor();
    await page.getByRole('button', { name: T.desk.confirmRequester }).click({ timeout: 30_000 });
    await page.getByLabel(T.desk.askInfoQuestion).fill('Which unit holds the child’s case file?');
    await page.getByRole('button', { name: T.desk.askInfo }).click();
    await page.getByText(T.states.needs_info).first().waitFor();

    await switchTo(page, T, /Alex Morgan/);
    await page.getByRole('link', { name: tracking }).click();
    await page.getByText('Which unit holds the child’s case file?').first().waitFor();
    await page.getByLabel(T.request.answer).fill('Major Crimes, case 26-1142.');
    await page.getByRole('button', { name: T.request.sendAnswer }).click();
    await page.getByText(T.states.in_review).first().waitFor();

    await switchTo(page, T, /Riley Reviewer/);
    await page.getByRole('link', { name: T.desk.openRequest.replace('{{tracking}}', tracking) }).click();
    await page.getByText('+12025550142').first().waitFor();
    await page.getByLabel(T.desk.spokeWith).fill('Duty officer Grant, Example Field Office');
    await page.getByRole('button', { name: T.desk.recordCallback }).click();
    await page.getByText(T.desk.callbackOutcomes.confirmed).first().waitFor();
    if (screenshots) await shoot(page, 'desk-emergency');

    // Counsel, not the caller, approves and produces.
    await switchTo(page, T, /Casey Counsel/);
    await page.getByRole('link', { name: T.desk.openRequest.replace('{{tracking}}', tracking) }).click();
    await page.getByRole('button', { name: T.desk.approve }).click();
    await page.getByText(T.states.approved).first().waitFor();
    await page.getByRole('button', { name: T.desk.produce }).click();
    await page.getByRole('table', { name: T.request.outcomes }).waitFor({ timeout: 60_000 });
    await context.close();
  }, 180_000);

  it('an officer registers, confirms the mailed code, sets up an authenticator, and the admin approves them', async () => {
    const { context, page } = await open('en');
    const email = 'new.officer@smpa.police.example.kr';
    const password = 'river-lantern-57-quietly';
    await page.goto(`${base}/login`);
    await page.getByRole('link', { name: en.register.link }).click();
    await page.getByLabel(en.register.email).fill(email);
    await page.getByLabel(en.register.displayName).fill('Lee Seo-yeon');
    await page.getByLabel(new RegExp(`^${en.register.password}`)).fill(password);
    await page.getByRole('button', { name: en.register.submit }).click();
    await page.getByText(en.register.sent).waitFor();
    // No SMTP server is configured: the mail is a file under the data directory (read whole: it may be half written).
    const outgoing = path.join(root, 'data', 'mail', 'outgoing');
    let code: string | undefined;
    await expect
      .poll(
        () => {
          const mails = existsSync(outgoing) ? readdirSync(outgoing).map((name) => readFileSync(path.join(outgoing, name), 'utf8')) : [];
          code = mails.map((mail) => /writ_c_[A-Za-z0-9_-]{43}/.exec(quotedPrintable(mail))?.[0]).find(Boolean);
          return code;
        },
        { timeout: 20_000 },
      )
      .toBeTruthy();
    await page.getByLabel(en.register.code).fill(code!);
    await page.getByRole('button', { name: en.register.confirm }).click();
    await page.getByText(en.register.confirmed).waitFor();
    await page.getByRole('link', { name: en.register.toLogin }).click();
    await page.getByLabel(en.login.email).fill(email);
    await page.getByLabel(new RegExp(`^${en.login.password}`)).fill(password);
    await page.getByRole('button', { name: en.login.submit, exact: true }).click();
    await page.getByRole('heading', { name: en.enrol.title }).waitFor();
    await page.getByRole('button', { name: en.enrol.title }).click();
    const secret = (await page.locator('code').first().textContent())!.replaceAll(' ', '');
    await page
      .getByLabel(en.enrol.code)
      .fill(new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate());
    await page.getByRole('button', { name: en.enrol.confirm }).click();
    await page.getByText(en.enrol.pending).waitFor();
    await accessibility(page, 'enrol');
    // The platform's admin approves the new officer.
    await page.goto(demoLink);
    await switchTo(page, en, /Ada Admin/);
    await page.getByRole('link', { name: en.nav.people }).first().click();
    await page.getByText(email).waitFor();
    await page.getByLabel(en.desk.approveReason).fill('Checked with the unit chief by phone on the directory number.');
    await page.getByRole('button', { name: en.desk.approvePerson, exact: true }).click();
    await page.getByText(en.desk.peopleEmpty).waitFor();
    await context.close();
  }, 120_000);

  it('the transparency report shows what the flows did, in English and Korean, with a CSV, a PDF and the signed tree head', async () => {
    expect(delivered, 'the English flow ran first').not.toBe('');
    const { context, page } = await open('en');
    await page.goto(`${base}/transparency`);
    await page.getByRole('heading', { name: en.public.transparencyTitle }).waitFor();
    const period = page.getByLabel(en.public.period);
    await period.waitFor();
    const half = await period.inputValue();
    expect(half).toMatch(/^\d{4}-H[12]$/);
    // The page shows the figures the API gives for that period, no more and no other: exact, a band, or withheld.
    type Count = number | { min: number; max: number } | null;
    const report = (await (await page.request.get(`${base}/api/v1/transparency/report?period=${half}`)).json()) as {
      audience: string;
      totals: { requests: Count; rejected: Count };
      series: { byCountry: Array<{ country: string }> };
      treeHead: { treeSize: number } | null;
    };
    expect(report.audience).toBe('public');
    const shown = (count: Count, locale: string) =>
      count === null
        ? '—'
        : typeof count === 'number'
          ? count.toLocaleString(locale)
          : `${count.min.toLocaleString(locale)}–${count.max.toLocaleString(locale)}`;
    expect(
      typeof report.totals.requests === 'number' && report.totals.requests >= 2,
      'the flows delivered requests in this half-year',
    ).toBe(true);
    const figure = (name: string) => page.locator(`[data-figure="${name}"] dd`);
    await expect.poll(() => figure('requests').textContent()).toBe(shown(report.totals.requests, 'en-US'));
    expect(await figure('rejected').textContent()).toContain(shown(report.totals.rejected, 'en-US'));
    // A range of one's own choosing is not for the public.
    expect((await page.request.get(`${base}/api/v1/transparency/report?from=2020-01-01&to=2030-01-01`)).status()).toBe(400);
    // The flows' requests are Korean, with whatever else the suite sent: Korea as its own row, or, when another
    // country had too few requests to show alone, Korea merged with it into "other countries".
    const shownCountry = report.series.byCountry[0]?.country;
    expect(['KR', 'other']).toContain(shownCountry);
    const countryName = (language: 'en' | 'ko') =>
      shownCountry === 'KR' ? (language === 'en' ? 'South Korea' : '대한민국') : (language === 'en' ? en : ko).public.otherCountries;
    await page.getByRole('figure', { name: en.public.byCountry }).getByText(countryName('en')).waitFor();
    await page.getByRole('figure', { name: en.public.byOutcome }).getByText(en.public.outcomes.data_produced).waitFor();
    // The Korean categories show under a row of Korea's own only: inside "other" they would tell Korea's size.
    if (shownCountry === 'KR') await page.getByRole('heading', { name: en.public.koreaTitle }).waitFor();
    else expect(await page.getByRole('heading', { name: en.public.koreaTitle }).count()).toBe(0);
    // The tree head the log signed last, with what it proves.
    await page.getByRole('heading', { name: en.public.treeHeadTitle }).waitFor();
    await page.getByText(en.public.treeHeadExplain).waitFor();
    expect(await page.getByTestId('tree-head').textContent()).toMatch(/[0-9a-f]{64}/);
    await fitsWidth(page, 'transparency');
    await accessibility(page, 'transparency');
    await shoot(page, 'transparency');
    // The downloads answer with the files they name.
    const csv = await page.request.get(`${base}${await page.getByRole('link', { name: en.public.downloadCsv }).getAttribute('href')}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    expect(await csv.text()).toContain('section');
    const pdf = await page.request.get(`${base}${await page.getByRole('link', { name: en.public.downloadPdf }).getAttribute('href')}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');

    // In Korean, on a phone: the same figures, in Korean words and Korean number formatting.
    await page.getByLabel(en.app.language).selectOption('ko');
    await page.getByRole('heading', { name: ko.public.transparencyTitle }).waitFor();
    await page.getByText(ko.public.figures.requests, { exact: true }).first().waitFor();
    expect(await figure('requests').textContent()).toBe(shown(report.totals.requests, 'ko-KR'));
    await page.getByRole('figure', { name: ko.public.byCountry }).getByText(countryName('ko')).waitFor();
    await page.setViewportSize(PHONE);
    await fitsWidth(page, 'transparency on a phone');
    await accessibility(page, 'transparency (ko, phone)');
    await shoot(page, 'transparency-ko-phone');
    await context.close();
  }, 120_000);

  it('the user whose data was disclosed opens the link mailed to them and reads their notice; a wrong link says it is not valid', async () => {
    expect(delivered, 'the English flow ran first').not.toBe('');
    // Delivery planned a notice for each target whose data was disclosed, and the worker mails each when it may go. One
    // the law left to the authority waits for counsel, who releases it here.
    const desk = await open('en');
    await desk.page.goto(demoLink);
    await switchTo(desk.page, en, /Casey Counsel/);
    await desk.page.getByRole('heading', { name: en.desk.queueTitle }).waitFor();
    const listed = await desk.page.request.get(`${base}/api/v1/requests/${delivered}/notices`);
    expect(listed.status()).toBe(200);
    const notices = ((await listed.json()) as { items: Array<{ id: string; state: string }> }).items;
    const notice = notices.find((item) => item.state === 'sent' || item.state === 'withheld' || item.state === 'scheduled');
    expect(notice, JSON.stringify(notices)).toBeTruthy();
    if (notice!.state === 'withheld') {
      const released = await desk.page.request.post(`${base}/api/v1/requests/${delivered}/notices/${notice!.id}/release`, {
        data: { reason: 'The police confirmed their investigation is closed and they have not notified the user.' },
      });
      expect(released.status(), await released.text()).toBe(200);
    }
    await desk.context.close();
    const outgoing = path.join(root, 'data', 'mail', 'outgoing');
    let token: string | undefined;
    await expect
      .poll(
        () => {
          const mails = existsSync(outgoing)
            ? readdirSync(outgoing)
                .filter((name) => name.startsWith(`notice-${notice!.id}`))
                .map((name) => readFileSync(path.join(outgoing, name), 'utf8'))
            : [];
          token = mails.map((mail) => /\/notice\/(writ_n_[A-Za-z0-9_-]{43})/.exec(quotedPrintable(mail))?.[1]).find(Boolean);
          return token;
        },
        { timeout: 30_000 },
      )
      .toBeTruthy();

    // The user, not signed in, opens the link from the mail.
    const { context, page } = await open('en');
    await page.goto(`${base}/notice/${token}`);
    await page.getByRole('heading', { name: en.public.noticeTitle }).waitFor();
    await page.getByRole('heading', { name: en.public.disclosedTitle }).waitFor();
    const view = (await (await page.request.get(`${base}/api/v1/notices/${token}`)).json()) as {
      disclosed: Array<{ category: keyof typeof en.categories; status: string }>;
      agency: { name: string };
    };
    expect(view.disclosed.some((entry) => entry.status === 'produced')).toBe(true);
    const table = page.getByTestId('disclosed');
    for (const entry of view.disclosed) await table.getByText(en.categories[entry.category], { exact: true }).waitFor();
    await page.getByText(view.agency.name).first().waitFor();
    await page.getByRole('heading', { name: en.public.challengeTitle }).waitFor();
    await page.getByRole('link', { name: 'privacy@demo-messenger.example' }).waitFor();
    await fitsWidth(page, 'notice');
    await accessibility(page, 'notice');
    await shoot(page, 'notice');
    await page.getByLabel(en.app.language).selectOption('ko');
    await page.getByRole('heading', { name: ko.public.disclosedTitle }).waitFor();
    for (const entry of view.disclosed) await table.getByText(ko.categories[entry.category], { exact: true }).waitFor();
    await page.setViewportSize(PHONE);
    await fitsWidth(page, 'notice on a phone');
    await accessibility(page, 'notice (ko, phone)');

    // A link with one character wrong, and one cut short, open nothing, and say so.
    for (const wrong of [`writ_n_${token![7] === 'A' ? 'B' : 'A'}${token!.slice(8)}`, token!.slice(0, 20)]) {
      await page.goto(`${base}/notice/${wrong}`);
      await page.getByText(ko.public.noticeInvalidTitle).waitFor();
      expect(await page.getByText(ko.public.disclosedTitle).count()).toBe(0);
    }
    await page.getByLabel(ko.app.language).selectOption('en');
    await page.getByText(en.public.noticeInvalidTitle).waitFor();
    await accessibility(page, 'notice not valid');
    await context.close();
  }, 120_000);

  it('desk pages and the public pages render, in either language, and the page CSP refused nothing', async () => {
    const { context, page } = await open('en');
    await page.goto(demoLink);
    await switchTo(page, en, /Ada Admin/);
    await page.getByRole('heading', { name: en.desk.queueTitle }).waitFor();
    for (const [address, heading, name] of [
      ['/desk/agencies', en.desk.agenciesTitle, 'agencies'],
      ['/desk/people', en.desk.peopleTitle, 'people'],
      ['/desk/settings', en.desk.settingsTitle, 'settings'],
    ] as const) {
      await page.goto(`${base}${address}`);
      await page.getByRole('heading', { name: heading }).waitFor();
      await accessibility(page, name);
      await shoot(page, name);
    }
    // The language switch is on every page, and dates follow it.
    await page.getByLabel(en.app.language).selectOption('ko');
    await page.getByRole('heading', { name: ko.desk.settingsTitle }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('ko');
    await page.goto(`${base}/transparency`);
    await page.getByRole('heading', { name: ko.public.transparencyTitle }).waitFor();
    await page.getByText(ko.public.figures.requests, { exact: true }).first().waitFor();
    await page.goto(`${base}/notice/some-token`);
    await page.getByRole('heading', { name: ko.public.noticeTitle }).waitFor();
    await page.getByText(ko.public.noticeInvalidTitle).waitFor();
    await context.close();
    expect(cspViolations).toEqual([]);
  }, 120_000);
});
