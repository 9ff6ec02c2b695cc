// A case from filing to decision, in two browsers: the resident files a residence
// registration (zameldowanie), the clerk calls for a missing document, the resident sends
// it from their case page, the clerk decides, the resident sees the decision. axe runs on
// every page either of them visits.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, axe, startStack } from '../lib/stack.mjs';

const JAN = '44051401359';
let s;
before(async () => { s = await startStack(); });
after(async () => { await s?.stop(); });

async function person() {
  const ctx = await s.browser.newContext({ locale: 'pl-PL' });
  const page = await ctx.newPage();
  return { ctx, page, check: () => axe(page) };
}

const pdf = (name) => ({ name, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.4\n% ${name}\n`) });
const daysAgo = (n) => new Date(Date.now() - n * 86400e3).toISOString().slice(0, 10);

describe('case journey', () => {
  it('zameldowanie: call to supplement, the answer, the decision', async () => {
    const t0 = performance.now();
    // the resident files
    const r = await person();
    await r.page.goto(`${s.base}/auth/login?provider=national&login_hint=${JAN}&return_to=/uslugi/zameldowanie`);
    await r.page.getByRole('button', { name: 'Rozpocznij' }).click();
    await r.page.getByRole('button', { name: 'Dalej' }).click(); // prefilled person
    await r.check();
    await r.page.getByLabel('stały').check();
    await r.page.getByLabel('Data przybycia').fill(daysAgo(2));
    await r.page.getByLabel('Ulica').fill('Lipowa');
    await r.page.getByLabel('Numer domu').fill('5');
    await r.page.getByLabel('Kod pocztowy').fill('64-530');
    await r.page.getByLabel('Miejscowość').fill('Przykładowo');
    await r.page.getByRole('button', { name: 'Dalej' }).click();
    await r.check();
    await r.page.getByLabel('Tak').check();
    await r.page.getByRole('button', { name: 'Dalej' }).click();
    await r.page.waitForURL(/\/sprawdz$/);
    await r.check();
    await r.page.locator('input[type="file"][name="title_document"]').setInputFiles(pdf('umowa-najmu.pdf'));
    await r.page.getByRole('button', { name: 'Złóż wniosek' }).click();
    await r.page.waitForURL(/\/potwierdzenie\//);
    await r.page.goto(`${s.base}/moje-sprawy`);
    await r.check();
    const sign = (await r.page.getByRole('link', { name: /^SO\.5351\./ }).textContent()).trim();

    // the clerk (supervisor of SO) takes it and calls for a document
    const c = await person();
    await c.page.goto(`${s.base}/auth/login?provider=staff&login_hint=kierownik-so&return_to=/urzad`);
    await c.page.waitForURL(`${s.base}/urzad`);
    await c.check();
    await c.page.getByRole('link', { name: sign }).click();
    await c.check();
    const action = async (summary, fill) => {
      const box = c.page.locator('details', { hasText: summary });
      await box.locator('summary').click();
      if (fill) await fill(box);
      await box.getByRole('button', { name: 'Wykonaj' }).click();
      await c.page.waitForURL(`${s.base}/urzad/sprawy/${sign}`);
    };
    await action('Przyjmij do prowadzenia');
    await action('Wezwij do uzupełnienia', async (box) => {
      await box.getByLabel(/Czego brakuje/).fill('oświadczenie właściciela lokalu');
    });
    await c.check();
    assert.match(await c.page.content(), /oczekuje na wnioskodawcę/);

    // the resident sees the call and answers it
    await r.page.goto(`${s.base}/moje-sprawy/${sign}`);
    await r.check();
    assert.match(await r.page.content(), /oświadczenie właściciela lokalu/);
    await r.page.getByLabel('Dokumenty').setInputFiles(pdf('oswiadczenie.pdf'));
    await r.page.getByRole('button', { name: 'Wyślij uzupełnienie' }).click();
    await r.page.waitForURL(`${s.base}/moje-sprawy/${sign}`);
    assert.match(await r.page.content(), /Uzupełnienie wpłynęło/);

    // the clerk decides
    await c.page.reload();
    assert.match(await c.page.content(), /w toku/);
    await action('Załatw sprawę', async (box) => {
      await box.getByLabel('Rozstrzygnięcie').selectOption('granted');
      await box.getByLabel('Uzasadnienie').fill('Zameldowano na pobyt stały.');
    });
    await c.check();
    await c.page.goto(`${s.base}/urzad/statystyki`);
    await c.check();

    // the resident sees the decision
    await r.page.reload();
    assert.match(await r.page.content(), /Sprawa załatwiona: wniosek uwzględniono/);
    await r.check();

    // the decision letter waits in the mailbox; the notice came over real SMTP
    let notice;
    for (let i = 0; i < 100 && !notice; i += 1) {
      notice = s.smtp.messages()
        .map((m) => m.replace(/=\r?\n/g, '').replace(/=3D/g, '='))
        .find((m) => /To: .*jan@example\.pl/.test(m) && /DECYZJA/.test(m) === false && /skrzynka\/[0-9a-f-]{36}/.test(m) && m.includes('Nowe pismo'));
      if (!notice) await new Promise((ok) => setTimeout(ok, 200));
    }
    assert.ok(notice, 'the notice e-mail arrived at the SMTP server');
    assert.doesNotMatch(notice, /Zameldowano na pobyt/, 'never the letter itself');
    const links = [...notice.matchAll(/\/skrzynka\/([0-9a-f-]{36})/g)].map((m) => m[1]);
    assert.ok(links.length > 0);
    await r.page.goto(`${s.base}/skrzynka`);
    await r.check();
    // open the decision (the newest letter): looking records nothing, "Odbierz pismo"
    // (a POST) is receiving it
    const decision = r.page.getByRole('link', { name: /DECYZJA/ });
    await decision.click();
    await r.check();
    assert.match(await r.page.content(), /nieodebrane/);
    assert.equal(await r.page.getByRole('listitem').filter({ hasText: 'E.1' }).count(), 0);
    await r.page.getByRole('button', { name: 'Odbierz pismo' }).click();
    await r.check();
    assert.match(await r.page.content(), /odebrane/);
    const e1 = r.page.getByRole('listitem').filter({ hasText: 'E.1' }).getByRole('link', { name: /JWS/ });
    const href = await e1.getAttribute('href');
    const evidence = await r.page.request.get(new URL(href, s.base).href);
    assert.equal(evidence.status(), 200);
    const file = join(s.dir, 'e1.json');
    writeFileSync(file, await evidence.text());
    const out = execFileSync(BIN, ['receipt', 'verify', file, '--jwks', `${s.base}/.well-known/jwks.json`]).toString();
    assert.match(out, /VALID evidence E\.1/);
    console.log(`# timing zameldowanie case journey: ${Math.round(performance.now() - t0)} ms`);
    await r.ctx.close();
    await c.ctx.close();
  });
});
