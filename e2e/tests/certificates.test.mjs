// The tax services as a taxpayer meets them (issue 20 §4): Jan's IN-1 is prefilled from
// the gmina's ledger (imported with `okienko ledger import`), he files it and then a
// correction of it; the clerk sees what the correction changes, field by field; Jan asks
// for a certificate of no tax arrears and the clerk issues it, signed, to his mailbox
// (its fee is not paid online here: the payments pages are another part). axe runs on
// every page either of them visits, and on the catalogue's pages built with it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, axe, startStack } from '../lib/stack.mjs';
import { accounts } from '../lib/op.mjs';

const JAN = '44051401359';
let s;
before(async () => {
  accounts['kierownik-fn'] = { given_name: 'Olga', family_name: 'Nowicka', email: 'olga@gmina.example', roles: ['clerk'], unit: 'FN', level: 'substantial' };
  s = await startStack();
  const dir = join(s.dir, 'ledger');
  mkdirSync(dir);
  const files = {
    'taxpayers.csv': `taxpayer_id;id_kind;id_number;name;address\nT1;pesel;${JAN};Jan Kowalski;ul. Długa 1, Przykładowo\n`,
    'objects.csv': 'taxpayer_id;object_id;family;category;location;land_register;base\nT1;O1;property;land_other;ul. Długa 1;OL1O/00012345/6;812.5\nT1;O2;property;building_residential;ul. Długa 1;;120.4\n',
    'assessments.csv': 'taxpayer_id;year;family;kind;reference;issued_on;amount\nT1;2025;property;decision;FN.3120.7.2025;2025-02-10;812\n',
    'instalments.csv': 'taxpayer_id;year;family;number;due_on;amount\nT1;2025;property;1;2025-03-15;812\n',
    'payments.csv': 'payment_id;taxpayer_id;paid_on;amount\nP1;T1;2025-03-01;812\n',
  };
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  execFileSync(BIN, ['ledger', 'import', dir], { env: { ...process.env, OKIENKO_CONFIG: s.config } });
});
after(async () => { await s?.stop(); });

async function person() {
  const ctx = await s.browser.newContext({ locale: 'pl-PL' });
  const page = await ctx.newPage();
  return { ctx, page, check: () => axe(page) };
}

const daysAgo = (n) => new Date(Date.now() - n * 86400e3).toISOString().slice(0, 10);
const signOf = (receipt) => s.sql(`SELECT c.sign FROM case_file c JOIN submission s ON s.id = c.submission_id WHERE s.receipt_id = '${receipt}'`);

/** Jan's IN-1 from the start page to its confirmation; `purpose` fills the first step. */
async function fileIn1(r, purpose, objects) {
  await r.page.goto(`${s.base}/uslugi/in-1`);
  await r.page.getByRole('button', { name: 'Rozpocznij' }).click();
  await r.page.waitForURL(/\/purpose$/);
  await r.check();
  await purpose(r.page);
  await r.page.getByLabel('Data zdarzenia (nabycia, zmiany)').fill(daysAgo(3));
  await r.page.getByRole('button', { name: 'Dalej' }).click();
  await r.page.waitForURL(/\/taxpayer$/);
  await r.check();
  await r.page.getByLabel('Ulica').fill('Długa');
  await r.page.getByLabel('Numer domu').fill('1');
  await r.page.getByLabel('Kod pocztowy').fill('00-950');
  await r.page.getByLabel('Miejscowość').fill('Przykładowo');
  await r.page.getByRole('button', { name: 'Dalej' }).click();
  await r.page.waitForURL(/\/objects$/);
  await r.check();
  // the ledger's objects are there before Jan types anything
  assert.equal(await r.page.locator('[name="zin1[0].base"]').inputValue(), '812.5');
  assert.equal(await r.page.locator('[name="zin1[1].base"]').inputValue(), '120.4');
  await objects(r.page);
  await r.page.getByRole('button', { name: 'Dalej' }).click();
  await r.check();
  await r.page.getByLabel('Nie').check();
  await r.page.getByRole('button', { name: 'Dalej' }).click();
  await r.check();
  await r.page.getByLabel('Nie').check();
  await r.page.getByRole('button', { name: 'Dalej' }).click();
  await r.page.waitForURL(/\/sprawdz$/);
  await r.check();
  await r.page.getByRole('button', { name: 'Złóż wniosek' }).click();
  await r.page.waitForURL(/\/potwierdzenie\//);
  await r.check();
  return r.page.url().split('/').at(-1);
}

describe('tax journey', () => {
  it('IN-1 prefilled from the ledger, its correction read by the clerk, a certificate issued', async () => {
    const t0 = performance.now();
    const r = await person();
    await r.page.goto(`${s.base}/auth/login?provider=national&login_hint=${JAN}&return_to=/`);
    await r.page.waitForURL(`${s.base}/`);
    await r.check(); // the catalogue page: life situations, units, search

    const first = await fileIn1(r, (p) => p.getByLabel('informacja składana po raz pierwszy').check(), async () => {});
    const second = await fileIn1(r, async (p) => {
      await p.getByLabel('korekta informacji').check();
      // the correction's own fields appear once the purpose is saved
      await p.getByRole('button', { name: 'Dalej' }).click();
      const corrects = p.getByLabel('Korygowany formularz (numer potwierdzenia złożenia)');
      await corrects.waitFor();
      await r.check();
      // the corrected filing is picked from Jan's own
      await corrects.selectOption(first);
      await p.getByLabel('art. 81 Ordynacji podatkowej', { exact: true }).check();
    }, (p) => p.locator('[name="zin1[1].base"]').fill('130'));

    // the clerk of the finance unit reads the correction against what it corrects
    const c = await person();
    await c.page.goto(`${s.base}/auth/login?provider=staff&login_hint=kierownik-fn&return_to=/urzad`);
    await c.page.waitForURL(`${s.base}/urzad`);
    await c.page.goto(`${s.base}/urzad/sprawy/${signOf(second)}`);
    await c.check();
    const rows = c.page.locator('table', { hasText: 'Cel złożenia formularza' }).locator('tr');
    const changes = [];
    for (const row of await rows.all()) {
      const th = ((await row.locator('th').first().textContent()) ?? '').trim();
      const tds = (await row.locator('td').allTextContents()).map((t) => t.trim());
      changes.push([th, ...tds]);
    }
    const purposeRow = changes.find(([th]) => th === 'Cel złożenia formularza');
    assert.deepEqual(purposeRow?.slice(1, 3), ['informacja składana po raz pierwszy', 'korekta informacji'], JSON.stringify(changes));
    assert.ok(changes.some(([th, was, now]) => th.includes('wiersz 2') && was === '120.4' && now === '130'), JSON.stringify(changes));
    assert.ok(!changes.some(([th]) => th.includes('wiersz 1')), JSON.stringify(changes));

    // Jan asks for a certificate of no arrears; the clerk issues it
    await r.page.goto(`${s.base}/uslugi/zaswiadczenie-o-niezaleganiu`);
    await r.check();
    await r.page.getByRole('button', { name: 'Rozpocznij' }).click();
    await r.check();
    await r.page.getByLabel('mnie (podatnika według numeru PESEL)').check();
    await r.page.getByLabel('Cel wydania zaświadczenia').selectOption('other');
    await r.page.getByRole('button', { name: 'Dalej' }).click();
    await r.page.waitForURL(/\/sprawdz$/);
    await r.check();
    assert.match(await r.page.content(), /Opłata skarbowa/);
    await r.page.getByRole('button', { name: 'Złóż wniosek' }).click();
    await r.page.waitForURL(/\/potwierdzenie\//);
    const certificate = signOf(r.page.url().split('/').at(-1));
    await c.page.goto(`${s.base}/urzad/sprawy/${certificate}`);
    await c.check();
    const action = async (summary, fill) => {
      const box = c.page.locator('details', { hasText: summary });
      await box.locator('summary').click();
      if (fill) await fill(box);
      await box.getByRole('button', { name: 'Wykonaj' }).click();
      await c.page.waitForURL(`${s.base}/urzad/sprawy/${certificate}`);
    };
    await action('Przyjmij do prowadzenia');
    await action('Wydaj zaświadczenie', async (box) => {
      await box.getByLabel('Rozstrzygnięcie').selectOption('granted');
      await box.getByLabel('Uzasadnienie').fill('Dane z ewidencji podatkowej na dziś.');
    });
    await c.check();
    await r.page.goto(`${s.base}/skrzynka`);
    await r.check();
    await r.page.getByRole('link', { name: /ZAŚWIADCZENIE/ }).first().click();
    await r.check();

    // the catalogue's other pages of this issue
    for (const path of ['/imprezy-masowe', '/uslugi-krajowe/dowod-osobisty', '/uslugi/zaswiadczenie-o-zameldowaniu', '/uslugi/zaswiadczenie-z-rejestru-cudzoziemcow', '/uslugi/zaswiadczenie-o-figurowaniu']) {
      await r.page.goto(`${s.base}${path}`);
      await r.check();
    }
    console.log(`# timing tax journey: ${Math.round(performance.now() - t0)} ms`);
    await r.ctx.close();
    await c.ctx.close();
  });
});
