// Payments (issue 21): a resident requests a certificate, pays its stamp duty online on
// the Przelewy24 emulator's page (scripts/p24_emulator.py, a process of its own that
// notifies okienko as the real one does), and the clerk issues the certificate, which
// okienko refused before the payment (KPA art. 261 § 1). Then a tax instalment paid by
// transfer: the clerk uploads the bank's statement, one line is matched by its title,
// the other by hand from the queue, and the day's report shows both. axe runs on every
// page of payments.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { axe, startStack } from '../lib/stack.mjs';

const JAN = '44051401359';
let s;
let emulator;

async function startEmulator() {
  const script = join(import.meta.dirname, '..', '..', 'scripts', 'p24_emulator.py');
  const child = spawn('python3', [script, '--port', '0', '--merchant', '123456', '--crc', 'e2e-crc', '--api-key', 'e2e-key']);
  const first = await new Promise((ok) => createInterface({ input: child.stdout }).once('line', ok));
  return { child, url: first.replace('listening on ', '').trim() };
}

before(async () => {
  emulator = await startEmulator();
  s = await startStack({
    extra: `
[payments]
virtual_prefix = "1020102600"
recipient = "Gmina Przykładowo"

[payments.przelewy24]
base_url = "${emulator.url}"
merchant_id = 123456
pos_id = 123456
crc = "e2e-crc"
api_key = "e2e-key"
`,
  });
});
after(async () => {
  await s?.stop();
  emulator?.child.kill('SIGTERM');
});

async function person() {
  const ctx = await s.browser.newContext({ locale: 'pl-PL' });
  const page = await ctx.newPage();
  return { ctx, page, check: () => axe(page) };
}

async function clerk() {
  const c = await person();
  await c.page.goto(`${s.base}/auth/login?provider=staff&login_hint=kierownik-fn&return_to=/urzad`);
  await c.page.waitForURL(`${s.base}/urzad`);
  return c;
}

describe('payments', () => {
  it('a certificate paid online through the provider, then issued', async () => {
    const t0 = performance.now();
    const r = await person();
    await r.page.goto(`${s.base}/auth/login?provider=national&login_hint=${JAN}&return_to=/uslugi/zaswiadczenie-o-niezaleganiu`);
    await r.page.getByRole('button', { name: 'Rozpocznij' }).click();
    await r.page.getByLabel('mnie (podatnika według numeru PESEL)').check();
    await r.page.getByLabel('Cel wydania zaświadczenia').selectOption('other');
    await r.page.getByRole('button', { name: 'Dalej' }).click();
    await r.page.waitForURL(/\/sprawdz$/);
    await r.page.getByRole('button', { name: 'Złóż wniosek' }).click();
    await r.page.waitForURL(/\/potwierdzenie\//);
    await r.page.goto(`${s.base}/moje-sprawy`);
    const sign = (await r.page.getByRole('link', { name: /^FN\./ }).first().textContent()).trim();

    // the clerk sees it waiting for its fee and cannot issue the certificate yet
    const c = await clerk();
    assert.match(await c.page.content(), /oczekuje na opłatę/);
    await c.page.getByRole('link', { name: sign }).click();
    await c.check();
    assert.match(await c.page.content(), /oczekuje na opłatę/);
    const action = async (summary, fill) => {
      const box = c.page.locator('details', { hasText: summary });
      await box.locator('summary').click();
      if (fill) await fill(box);
      await box.getByRole('button', { name: 'Wykonaj' }).click();
    };
    await action('Przyjmij do prowadzenia');
    await c.page.waitForURL(`${s.base}/urzad/sprawy/${sign}`);
    const decide = (box) => box.getByLabel('Rozstrzygnięcie').selectOption('granted')
      .then(() => box.getByLabel('Uzasadnienie').fill('Dane z ewidencji podatkowej.'));
    await action('Wydaj zaświadczenie', decide);
    await c.page.locator('.govuk-error-summary').waitFor();
    assert.match(await c.page.content(), /zaświadczenie wydaje się po jej uiszczeniu/);

    // the resident pays online
    await r.page.goto(`${s.base}/platnosci`);
    await r.check();
    assert.match(await r.page.content(), /17,00 zł/);
    await r.page.getByRole('button', { name: /Zapłać online/ }).click();
    await r.page.waitForURL(new RegExp(`^${emulator.url}/trnRequest/`));
    assert.match(await r.page.content(), /17,00 zł/);
    await r.page.getByRole('button', { name: 'Zapłać' }).click();
    await r.page.waitForURL(/\/platnosci\/powrot\//);
    await r.check();
    assert.equal(await r.page.locator('#stan-platnosci').getAttribute('data-state'), 'paid');

    // now the certificate is issued
    await c.page.goto(`${s.base}/urzad/sprawy/${sign}`);
    assert.doesNotMatch(await c.page.content(), /oczekuje na opłatę/);
    await action('Wydaj zaświadczenie', decide);
    await c.page.waitForURL(`${s.base}/urzad/sprawy/${sign}`);
    await c.check();
    assert.match(await c.page.content(), /ZAŚWIADCZENIE/);
    console.log(`# timing certificate paid online: ${Math.round(performance.now() - t0)} ms`);
    await r.ctx.close();
    await c.ctx.close();
  });

  it('a tax instalment paid by transfer, the statement uploaded and matched', async () => {
    // an instalment of the tax ledger, as the ledger's import opens it
    const id = '01900000-0000-7000-8000-000000000001';
    s.sql(`INSERT INTO payment_debt (id, number, owner_kind, owner, source_kind, source_ref, amount, paid, title, account, due, status, created_at)
      VALUES ('${id}', 4242, 'taxpayer', 'T1', 'ledger', 'T1/2026/property/1', 20312, 0, 'NAL-4242 podatek od nieruchomości rata 1', '61109010140000071219812874', '2026-12-15', 'open', now())`);
    const day = new Date().toISOString().slice(2, 10).replaceAll('-', '');
    const statement = [
      `:20:E2E${day}`, ':25:/PL61109010140000071219812874', ':28C:1/1', `:60F:C${day}PLN0,00`,
      `:61:${day}C203,12N051REF//E2E1`, ':86:051~20Podatek NAL-4242 rata 1~32Jan Kowalski',
      `:61:${day}C17,00N051REF//E2E2`, ':86:051~20Darowizna na bibliotekę~32Anna Nowak',
      '-', '',
    ].join('\n');
    const c = await clerk();
    await c.page.goto(`${s.base}/urzad/platnosci/wyciag`);
    await c.check();
    await c.page.getByLabel(/Plik wyciągu/).setInputFiles({ name: 'wyciag.sta', mimeType: 'text/plain', buffer: Buffer.from(statement) });
    await c.page.getByRole('button', { name: 'Wczytaj' }).click();
    await c.check();
    assert.match(await c.page.content(), /Wczytano wyciąg/);
    assert.equal(s.sql(`SELECT status FROM payment_debt WHERE id = '${id}'`), 'paid');

    // the line no rule matched waits in the queue; the clerk matches it by hand
    s.sql(`INSERT INTO payment_debt (id, number, owner_kind, owner, source_kind, source_ref, amount, paid, title, account, due, status, created_at)
      VALUES ('01900000-0000-7000-8000-000000000002', 4243, 'taxpayer', 'T2', 'ledger', 'T2/2026/dog/1', 1700, 0, 'NAL-4243 opłata od posiadania psów', '61109010140000071219812874', '2026-12-15', 'open', now())`);
    await c.page.goto(`${s.base}/urzad/platnosci`);
    await c.check();
    assert.match(await c.page.content(), /Darowizna na bibliotekę/);
    await c.page.getByLabel(/Numer należności/).fill('NAL-4243');
    await c.page.getByRole('button', { name: 'Uzgodnij' }).click();
    await c.page.waitForURL(`${s.base}/urzad/platnosci`);
    assert.match(await c.page.content(), /Wszystkie wpłaty są uzgodnione/);
    assert.match(s.sql("SELECT matched_by FROM payment_match WHERE rule = 'manual'"), /kierownik-fn/);

    await c.page.goto(`${s.base}/urzad/platnosci/raport?dzien=20${day.slice(0, 2)}-${day.slice(2, 4)}-${day.slice(4, 6)}`);
    await c.check();
    assert.match(await c.page.content(), /2: 220,12 zł/);
    await c.ctx.close();
  });
});
