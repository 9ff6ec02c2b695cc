// The resident's journeys in a real browser against a real OpenID Provider, with axe on
// every page they visit. Run with `e2e/run` (builds okienko, installs what is missing).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, axe, startStack } from '../lib/stack.mjs';

const JAN = '44051401359';
const ANNA = '85122407623';
const timings = [];

let s;
before(async () => { s = await startStack(); });
after(async () => {
  await s?.stop();
  for (const t of timings) console.log(`# timing ${t.name}: ${t.ms} ms`);
});

/** A fresh browser (its own cookies) in Polish, with axe run on every page it lands on. */
async function person() {
  const ctx = await s.browser.newContext({ locale: 'pl-PL', acceptDownloads: true });
  const page = await ctx.newPage();
  const seen = new Set();
  return { ctx, page, seen, check: () => axe(page, seen) };
}

async function timed(name, fn) {
  const t0 = performance.now();
  await fn();
  timings.push({ name, ms: Math.round(performance.now() - t0) });
}

/** Logs in at the national node's own login page (PESEL and the means of identification). */
async function loginAtNode(p, pesel, means) {
  await p.page.getByLabel('PESEL').fill(pesel);
  await p.page.getByLabel(means === 'substantial' ? /Profil Zaufany/ : /login i hasło/).check();
  await p.check();
  await p.page.getByRole('button', { name: 'Zaloguj' }).click();
}

const daysAgo = (n) => new Date(Date.now() - n * 86400e3).toISOString().slice(0, 10);

describe('resident journeys', () => {
  it('files IN-1 with two rows, fixes a wrong co-owner PESEL, gets and verifies the receipt', () => timed('in-1 with receipt', async () => {
    const p = await person();
    const { page } = p;
    await page.goto(`${s.base}/uslugi/in-1`);
    await p.check();
    await page.getByRole('button', { name: 'Rozpocznij' }).click();
    // anonymous: the national node asks who it is
    await loginAtNode(p, JAN, 'substantial');
    await page.waitForURL(/\/uslugi\/in-1\/wniosek\/.+\/purpose$/);
    await p.check();
    await page.getByLabel('informacja składana po raz pierwszy').check();
    await page.getByLabel('Data zdarzenia (nabycia, zmiany)').fill(daysAgo(3));
    await page.getByRole('button', { name: 'Dalej' }).click();
    await p.check();
    // prefilled from the identity, and locked
    assert.equal(await page.getByLabel('PESEL').inputValue(), JAN);
    assert.equal(await page.getByLabel('PESEL').getAttribute('readonly'), '');
    await page.getByLabel('Ulica').fill('Lipowa');
    await page.getByLabel('Numer domu').fill('5');
    await page.getByLabel('Kod pocztowy').fill('00-950');
    await page.getByLabel('Miejscowość').fill('Przykładowo');
    await page.getByRole('button', { name: 'Dalej' }).click();
    await p.check();
    for (const [i, [category, location, base]] of [['land_other', 'Dz. 12/3', '850'], ['building_residential', 'Lipowa 5', '96.5']].entries()) {
      await page.getByRole('button', { name: 'Dodaj pozycję' }).click();
      await page.locator(`[name="zin1[${i}].category"]`).selectOption(category);
      await page.locator(`[name="zin1[${i}].location"]`).fill(location);
      await page.locator(`[name="zin1[${i}].base"]`).fill(base);
    }
    await p.check();
    await page.getByRole('button', { name: 'Dalej' }).click();
    await p.check();
    // ZIN-2: no exempt objects
    await page.getByLabel('Nie').check();
    await page.getByRole('button', { name: 'Dalej' }).click();
    await p.check();
    await page.getByLabel('Tak').check();
    // without JavaScript the co-owners' table appears once the answer is saved
    await page.getByRole('button', { name: 'Dalej' }).click();
    await p.check();
    await page.getByRole('button', { name: 'Dodaj pozycję' }).click();
    await page.locator('[name="zin3[0].given_name"]').fill('Maria');
    await page.locator('[name="zin3[0].family_name"]').fill('Kowalska');
    await page.locator('[name="zin3[0].pesel"]').fill('44051401358');
    await page.getByRole('button', { name: 'Dalej' }).click();
    // the wrong check digit is reported inline, at the field, in Polish
    const error = page.locator('#zin3\\[0\\]\\.pesel-error, [id="zin3[0].pesel-error"]');
    await error.first().waitFor();
    assert.match(await error.first().textContent(), /PESEL/);
    await p.check();
    await page.locator('[name="zin3[0].pesel"]').fill('85122407623');
    await page.getByRole('button', { name: 'Dalej' }).click();
    await page.waitForURL(/\/sprawdz$/);
    await p.check();
    await page.getByRole('button', { name: 'Złóż wniosek' }).click();
    await page.waitForURL(/\/potwierdzenie\//);
    await p.check();
    const receiptId = page.url().split('/').at(-1);
    // the PDF and the signed JSON, verified offline by the CLI
    const href = await page.getByRole('link', { name: /Pobierz potwierdzenie/ }).getAttribute('href');
    const pdf = await page.request.get(new URL(href, s.base).href);
    assert.equal(pdf.status(), 200);
    assert.match(pdf.headers()['content-type'], /application\/pdf/);
    assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
    const json = await page.request.get(`${s.base}/api/receipts/${receiptId}`);
    assert.equal(json.status(), 200);
    const file = join(s.dir, 'receipt.json');
    writeFileSync(file, await json.text());
    const out = execFileSync(BIN, ['receipt', 'verify', file, '--jwks', `${s.base}/.well-known/jwks.json`], { env: { ...process.env, OKIENKO_CONFIG: s.config } }).toString();
    assert.match(out, /VALID/);
    assert.match(out, new RegExp(receiptId));

    // a second resident cannot open it
    const other = await person();
    await other.page.goto(`${s.base}/auth/login?provider=national&login_hint=${ANNA}`);
    const res = await other.page.goto(`${s.base}/potwierdzenie/${receiptId}`);
    assert.equal(res.status(), 404);
    await other.check();
    const api = await other.page.request.get(`${s.base}/api/receipts/${receiptId}`);
    assert.equal(api.status(), 404);
    await other.ctx.close();
    await p.ctx.close();
  }));

  it('steps up from low to substantial in the middle of DN-1 and keeps the draft', () => timed('dn-1 step-up', async () => {
    const p = await person();
    const { page } = p;
    await page.goto(`${s.base}/`);
    await page.getByRole('link', { name: 'Zaloguj się' }).click();
    await loginAtNode(p, ANNA, 'low');
    await page.waitForURL(`${s.base}/`);
    const me = await (await page.request.get(`${s.base}/api/me`)).json();
    assert.equal(me.level, 'low');
    await page.goto(`${s.base}/uslugi/dn-1`);
    await p.check();
    await page.getByRole('button', { name: 'Rozpocznij' }).click();
    await page.waitForURL(/\/uslugi\/dn-1\/wniosek\/[^/]+\/[^/]+$/);
    const draftUrl = page.url();
    const draft = draftUrl.split('/')[6];
    await p.check();
    // go straight to check-your-answers and try to submit at `low`
    await page.goto(`${s.base}/uslugi/dn-1/wniosek/${draft}/sprawdz`);
    await p.check();
    await page.getByRole('button', { name: 'Złóż wniosek' }).click();
    // the node asks again (prompt=login), this time with a stronger means
    await loginAtNode(p, ANNA, 'substantial');
    await page.waitForURL(`${s.base}/uslugi/dn-1/wniosek/${draft}/sprawdz`);
    await p.check();
    const after = await (await page.request.get(`${s.base}/api/me`)).json();
    assert.equal(after.level, 'substantial');
    assert.equal(after.subject, me.subject);
    const d = await page.request.get(`${s.base}/api/drafts/${draft}`);
    assert.equal(d.status(), 200);
    await p.ctx.close();
  }));

  it('refuses a tampered ID token, a wrong nonce and a replayed state with a clear page', () => timed('refused logins', async () => {
    for (const mode of ['tamper', 'wrong-nonce']) {
      const p = await person();
      s.op.hooks.idToken = mode;
      const res = await p.page.goto(`${s.base}/auth/login?provider=national&login_hint=${JAN}`);
      assert.equal(res.status(), 400, mode);
      await p.page.getByRole('heading', { name: 'Logowanie nie powiodło się' }).waitFor();
      assert.match(await p.page.content(), /id_token/);
      await p.check();
      assert.equal((await p.page.request.get(`${s.base}/api/me`)).status(), 401);
      await p.ctx.close();
    }
    const p = await person();
    const callback = p.page.waitForRequest((r) => r.url().includes('/auth/callback'));
    await p.page.goto(`${s.base}/auth/login?provider=national&login_hint=${JAN}`);
    const url = (await callback).url();
    assert.equal((await p.page.request.get(`${s.base}/api/me`)).status(), 200);
    const replay = await p.page.goto(url);
    assert.equal(replay.status(), 400);
    assert.match(await p.page.content(), /unknown_state/);
    await p.check();
    await p.ctx.close();
  }));

  it('logs out on both sides', () => timed('logout', async () => {
    const p = await person();
    const { page } = p;
    await page.goto(`${s.base}/auth/login?provider=national&login_hint=${JAN}`);
    await page.getByRole('button', { name: 'Wyloguj' }).click();
    // the node asks to confirm ending its session
    await page.getByRole('button', { name: 'Wyloguj' }).click();
    await page.waitForURL(`${s.base}/?wylogowano=1`);
    await p.check();
    assert.equal((await page.request.get(`${s.base}/api/me`)).status(), 401);
    assert.ok(s.op.hooks.ended >= 1, 'the node ended its session');
    // the node no longer knows the browser: logging in asks who it is again
    await page.getByRole('link', { name: 'Zaloguj się' }).click();
    await page.getByLabel('PESEL').waitFor();
    await p.ctx.close();
  }));
});

describe('public registers', () => {
  it('a filed petition appears in the register, on its page and in the feed; the registers pass axe', () => timed('petitions register', async () => {
    const p = await person();
    const { page } = p;
    await page.goto(`${s.base}/auth/login?provider=national&login_hint=${ANNA}`);
    const filed = await page.request.post(`${s.base}/api/services/petycja/submissions`, {
      headers: { 'Idempotency-Key': 'e2e-petition-1', Origin: s.base },
      data: { data: {
        submitter_kind: 'group',
        name: 'Mieszkańcy ulicy Lipowej',
        representative: 'Jan Kowalski',
        members: [{ name: 'Jan Kowalski', residence: 'Przykładowo' }, { name: 'Anna Nowak', residence: 'Przykładowo' }],
        address: { street: 'Lipowa', building: '5', postal_code: '64-530', locality: 'Przykładowo' },
        addressee: 'council',
        subject: 'Budowa chodnika przy ulicy Lipowej',
        content: 'Wnosimy o budowę chodnika, ponieważ dzieci chodzą do szkoły jezdnią.',
        publish_name_consent: true,
        third_party_interest: false,
      } },
    });
    assert.equal(filed.status(), 201, await filed.text());
    const sign = (await filed.json()).receipt.claims.registration.case_sign;
    // anyone, logged in or not, sees the register
    const visitor = await person();
    await visitor.page.goto(`${s.base}/petycje`);
    await visitor.check();
    await visitor.page.getByRole('link', { name: sign }).click();
    await visitor.page.getByRole('heading', { name: 'Budowa chodnika przy ulicy Lipowej' }).waitFor();
    assert.match(await visitor.page.content(), /Mieszkańcy ulicy Lipowej/);
    await visitor.check();
    const feed = await visitor.page.request.get(`${s.base}/petycje.atom`);
    assert.equal(feed.status(), 200);
    assert.match(await feed.text(), new RegExp(sign.replaceAll('.', '\\.')));
    await visitor.page.goto(`${s.base}/petycje/informacja/${new Date().getFullYear()}`);
    await visitor.check();
    await visitor.page.goto(`${s.base}/konsultacje`);
    await visitor.check();
    await visitor.ctx.close();
    await p.ctx.close();
  }));
});
