// A public consultation from the draft to the signed report, in a real browser, every
// page checked with axe: a councillor drafts it in the console and the coordinator
// publishes it; two residents log in at the national node (node-oidc-provider) and answer,
// one also comments on a paragraph; a clerk types in a paper card and another accepts it
// (four eyes); the consultation closes (its last day moved to yesterday: the worker then
// closes it as its dates say); the coordinator answers every comment and publishes the
// report, which `okienko receipt verify` checks.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accounts } from '../lib/op.mjs';
import { BIN, axe, startStack } from '../lib/stack.mjs';

const JAN = '44051401359';
const ZOFIA = '75030300019';
const PAPER = '02070803628';
let s;
before(async () => {
  Object.assign(accounts, {
    'radna-maria': { given_name: 'Maria', family_name: 'Radna', email: 'maria@gmina.example', roles: ['councillor'], level: 'substantial' },
    'koordynator': { given_name: 'Karol', family_name: 'Koordynator', email: 'karol@gmina.example', roles: ['admin'], level: 'substantial' },
    'urzednik-1': { given_name: 'Ula', family_name: 'Pierwsza', email: 'ula@gmina.example', roles: ['clerk'], unit: 'OR', level: 'substantial' },
    'urzednik-2': { given_name: 'Olek', family_name: 'Drugi', email: 'olek@gmina.example', roles: ['clerk'], unit: 'OR', level: 'substantial' },
    [ZOFIA]: { given_name: 'Zofia', family_name: 'Lipowa', birthdate: '1975-03-03', email: 'zofia@example.pl', level: 'substantial' },
  });
  s = await startStack();
});
after(async () => { await s?.stop(); });

/** A browser of its own, checked with axe on every page it visits. */
async function person(provider, hint, returnTo) {
  const ctx = await s.browser.newContext({ locale: 'pl-PL' });
  const page = await ctx.newPage();
  await page.goto(`${s.base}/auth/login?provider=${provider}&login_hint=${hint}&return_to=${encodeURIComponent(returnTo)}`);
  const check = () => axe(page);
  await check();
  return { ctx, page, check };
}

const iso = (d) => d.toISOString().slice(0, 10);
const day = (n) => iso(new Date(Date.now() + n * 86_400_000));

describe('public consultation', () => {
  it('from the councillor’s draft to the signed report', async () => {
    // the councillor drafts it in the console
    const maria = await person('staff', 'radna-maria', '/konsole/konsultacje');
    await maria.page.getByRole('link', { name: 'Nowa konsultacja' }).click();
    await maria.check();
    const f = maria.page;
    await f.getByLabel('Temat').fill('Park przy szkole na Lipowej');
    await f.getByLabel('Numer uchwały').fill('XII/123/2026');
    await f.getByLabel('Data podjęcia (RRRR-MM-DD)').fill('2026-03-26');
    await f.getByLabel('Adres uchwały w BIP').fill('https://bip.przykladowo.example.pl/uchwaly/xii-123-2026');
    await f.getByLabel('Ogłoszenie').fill(day(0));
    await f.getByLabel('Rozpoczęcie').fill(day(0));
    await f.getByLabel('Ostatni dzień').fill(day(14));
    await f.getByLabel('Raport do').fill(day(44));
    await f.getByLabel(/Dokument poddany konsultacjom/).fill('§ 1. W parku stanie plac zabaw.\n§ 2. 1. Park będzie otwarty od 6 do 22.\n2. Psy wprowadza się na smyczy.');
    // a refusal comes back beside its field, nothing lost
    await f.getByLabel('Adres uchwały w BIP').fill('ftp://bip');
    await f.getByRole('button', { name: 'Zapisz projekt' }).click();
    await f.locator('#legal_basis\\.link-error').waitFor();
    await maria.check();
    assert.equal(await f.getByLabel('Temat').inputValue(), 'Park przy szkole na Lipowej');
    await f.getByLabel('Adres uchwały w BIP').fill('https://bip.przykladowo.example.pl/uchwaly/xii-123-2026');
    await f.getByRole('button', { name: 'Zapisz projekt' }).click();
    await f.waitForURL(/\/konsole\/konsultacje\/[0-9a-f-]{36}$/);
    await maria.check();
    const id = f.url().split('/').at(-1);
    // she edits the draft: a second question
    await f.getByRole('link', { name: /Edytuj projekt/ }).click();
    await maria.check();
    const q = await f.getByLabel('Ankieta (YAML formularza)').inputValue();
    await f.getByLabel('Ankieta (YAML formularza)').fill(`${q}      - { id: ocena, type: scale, min: 1, max: 5, label: { pl: Jak oceniasz projekt? } }\n`);
    await f.getByRole('button', { name: 'Zapisz nową wersję' }).click();
    await f.waitForURL(/zapisano=tak/);
    await maria.check();
    await maria.ctx.close();

    // the coordinator publishes it
    const karol = await person('staff', 'koordynator', `/konsole/konsultacje/${id}`);
    await karol.page.getByRole('button', { name: 'Opublikuj konsultację' }).click();
    await karol.page.waitForURL(new RegExp(`/konsole/konsultacje/${id}$`));
    await karol.check();

    // two residents answer; one also comments on § 2 ust. 2
    for (const [pesel, comment] of [[JAN, 'Psy powinny mieć wybieg.'], [ZOFIA, null]]) {
      const r = await person('national', pesel, `/konsultacje/${id}`);
      await r.page.getByRole('link', { name: 'Odpowiedz na pytania' }).click();
      await r.check();
      await r.page.getByRole('group', { name: 'Czy popierasz projekt?' }).getByLabel('Tak').check();
      await r.page.getByLabel('Oświadczam, że mieszkam na terenie gminy').check();
      await r.page.getByRole('button', { name: 'Wyślij odpowiedź' }).click();
      await r.page.getByRole('heading', { name: 'Dziękujemy za udział w konsultacjach' }).waitFor();
      await r.check();
      if (comment) {
        await r.page.goto(`${s.base}/konsultacje/${id}`);
        await r.page.getByLabel('Jednostka redakcyjna').selectOption('§ 2 ust. 2');
        await r.page.getByLabel('Treść uwagi').fill(comment);
        await r.page.getByLabel('Oświadczam, że mieszkam na terenie gminy').check();
        await r.page.getByRole('button', { name: 'Zgłoś uwagę' }).click();
        await r.page.getByText(comment).waitFor();
        await r.check();
      }
      await r.ctx.close();
    }

    // a clerk types in a paper card, another accepts it
    const ula = await person('staff', 'urzednik-1', `/konsole/konsultacje/${id}/karty`);
    await ula.page.getByLabel('Numer karty').fill('P-1');
    await ula.page.getByLabel('PESEL z karty').fill(PAPER);
    await ula.page.getByRole('group', { name: 'Czy popierasz projekt?' }).getByLabel('Nie').check();
    await ula.page.getByRole('button', { name: 'Wpisz kartę' }).click();
    // the declaration signed on the card was not ticked: said beside it, the rest kept
    await ula.page.locator('#declaration\\.lives_in_gmina-error').waitFor();
    await ula.check();
    assert.equal(await ula.page.getByLabel('PESEL z karty').inputValue(), PAPER);
    await ula.page.getByLabel('Osoba oświadczyła, że mieszka na terenie gminy').check();
    await ula.page.getByRole('button', { name: 'Wpisz kartę' }).click();
    await ula.page.waitForURL(/wpisano=tak/);
    await ula.page.getByText('czeka na drugiego urzędnika').waitFor();
    await ula.check();
    await ula.ctx.close();
    const olek = await person('staff', 'urzednik-2', `/konsole/konsultacje/${id}/karty`);
    await olek.page.getByRole('button', { name: 'Przyjmij kartę P-1' }).click();
    await olek.page.waitForURL(/sprawdzono=tak/);
    await olek.page.getByText('Żadna karta nie czeka na sprawdzenie.').waitFor();
    await olek.check();
    await olek.ctx.close();
    const counts = await (await karol.page.request.get(`${s.base}/api/consultations/${id}`)).json();
    assert.equal(counts.answers_online, 2);
    assert.equal(counts.answers_paper, 1);

    // its last day was yesterday: the dates close it, the worker fixes its statistics
    s.sql(`UPDATE consultation SET closes_on = current_date - 1 WHERE id = '${id}'`);
    await karol.page.goto(`${s.base}/konsole/konsultacje/${id}`);
    await karol.page.getByRole('heading', { name: /Raport: stanowisko wobec uwag/ }).waitFor();
    await karol.check();
    await karol.page.getByLabel('Stanowisko').selectOption('partly_accepted');
    await karol.page.getByLabel('Uzasadnienie').fill('Wybieg powstanie w części parku od strony ulicy.');
    await karol.page.getByRole('button', { name: 'Zapisz stanowisko' }).click();
    await karol.check();
    await karol.page.getByRole('button', { name: 'Opublikuj podpisany raport' }).click();
    await karol.page.waitForURL(new RegExp(`/konsole/konsultacje/${id}$`));
    await karol.check();

    // anyone reads the report; the CLI verifies its signature
    await karol.page.goto(`${s.base}/konsultacje/${id}`);
    await karol.page.getByRole('heading', { name: 'Raport z konsultacji' }).waitFor();
    assert.match(await karol.page.content(), /uwzględniona częściowo/);
    await karol.check();
    await karol.page.goto(`${s.base}/konsultacje/${id}/wyniki`);
    await karol.check();
    const report = await karol.page.request.get(`${s.base}/api/consultations/${id}/report`);
    assert.equal(report.status(), 200);
    const file = join(s.dir, 'report.json');
    writeFileSync(file, await report.text());
    const out = execFileSync(BIN, ['receipt', 'verify', file, '--jwks', `${s.base}/.well-known/jwks.json`], { env: { ...process.env, OKIENKO_CONFIG: s.config } }).toString();
    assert.match(out, new RegExp(`VALID consultation report ${id}`));
    await karol.ctx.close();
  });

  it('residents request a consultation; at the threshold it becomes the author’s case', async () => {
    const jan = await person('national', JAN, '/konsultacje');
    await jan.page.getByRole('link', { name: /wniosek mieszkańców o konsultacje/ }).click();
    await jan.check();
    await jan.page.getByRole('link', { name: 'Złóż wniosek o konsultacje' }).click();
    await jan.check();
    await jan.page.getByLabel('Przedmiot konsultacji').fill('Przebudowa placu zabaw przy Lipowej');
    await jan.page.getByLabel('Uzasadnienie').fill('Plac zabaw jest w złym stanie, a mieszkańcy chcą wypowiedzieć się o jego nowym kształcie.');
    // no declaration of residence: refused beside it, the text kept
    await jan.page.getByRole('button', { name: 'Złóż wniosek' }).click();
    await jan.page.locator('#declaration\\.lives_in_gmina').waitFor();
    await jan.check();
    assert.equal(await jan.page.getByLabel('Przedmiot konsultacji').inputValue(), 'Przebudowa placu zabaw przy Lipowej');
    await jan.page.getByLabel('Oświadczam, że mieszkam na terenie gminy').check();
    await jan.page.getByRole('button', { name: 'Złóż wniosek' }).click();
    await jan.page.waitForURL(/zlozony=tak/);
    assert.match(await jan.page.content(), /1 z wymaganych 2/);
    await jan.check();
    const url = new URL(jan.page.url()).pathname;

    const zofia = await person('national', ZOFIA, url);
    await zofia.page.getByLabel('Oświadczam, że mieszkam na terenie gminy').check();
    await zofia.page.getByRole('button', { name: 'Popieram wniosek' }).click();
    await zofia.page.getByText(/trafił do urzędu jako sprawa OR\.1510\./).waitFor();
    await zofia.check();
    await zofia.ctx.close();
    // the case is the author's
    await jan.page.goto(`${s.base}/moje-sprawy`);
    assert.match(await jan.page.content(), /OR\.1510\./);
    await jan.check();
    await jan.ctx.close();
  });
});
