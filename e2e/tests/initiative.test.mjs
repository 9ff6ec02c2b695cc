// The citizens' legislative initiative (u.s.g. art. 41a) in a real browser against the real
// national node: a committee registers its draft through the form, a 17-year-old is refused
// with the day they come of age, residents support it until the threshold (100 in a gmina
// of 4,000), the representative files it and gets a receipt, and a clerk sees the supports.
// axe runs on every page.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { accounts } from '../lib/op.mjs';
import { axe, startStack } from '../lib/stack.mjs';

const JAN = '44051401359';
let s;
before(async () => { s = await startStack(); });
after(async () => { await s?.stop(); });

async function person() {
  const ctx = await s.browser.newContext({ locale: 'pl-PL' });
  const page = await ctx.newPage();
  return { ctx, page, check: () => axe(page) };
}

/** A valid PESEL of someone born on `yymmdd` (month with the century offset), serial `n`. */
function pesel(yymmdd, n) {
  const body = `${yymmdd}${String(n).padStart(4, '0')}`;
  const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  const sum = [...body].reduce((acc, c, i) => acc + Number(c) * w[i], 0);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** A resident the national node knows. */
function resident(p, given) {
  accounts[p] = { given_name: given, family_name: 'Mieszkańcowa', email: `${p}@example.pl`, level: 'substantial' };
  return p;
}

describe('citizens legislative initiative', () => {
  it('from the committee to the council: supports, the threshold, filing', async () => {
    const rep = await person();
    await rep.page.goto(`${s.base}/auth/login?provider=national&login_hint=${JAN}&return_to=/inicjatywy`);
    await rep.check();
    await rep.page.getByRole('link', { name: 'Zgłoś inicjatywę' }).click();
    await rep.check();
    await rep.page.getByLabel('Tytuł projektu uchwały').fill('W sprawie nadania nazwy skwerowi przy ulicy Lipowej');
    await rep.page.getByLabel('Treść projektu uchwały').fill('§ 1. Skwerowi przy ulicy Lipowej nadaje się nazwę Skwer Seniora.\n§ 2. Uchwała wchodzi w życie po 14 dniach od ogłoszenia.');
    await rep.page.getByLabel('Uzasadnienie').fill('Mieszkańcy osiedla od lat spotykają się na tym skwerze.');
    const members = ['Jan Kowalski', 'Anna Nowak', 'Ewa Lis', 'Piotr Wiśniewski', 'Adam Wójcik'];
    for (const [i, name] of members.entries()) {
      await rep.page.getByLabel(`Członek ${i + 1}: imię i nazwisko`).fill(name);
      await rep.page.getByLabel(`Członek ${i + 1}: miejsce zamieszkania`).fill('Przykładowo');
    }
    await rep.page.getByRole('button', { name: 'Zgłoś inicjatywę' }).click();
    await rep.page.getByRole('heading', { name: 'W sprawie nadania nazwy skwerowi przy ulicy Lipowej' }).waitFor();
    await rep.check();
    const url = rep.page.url();
    const id = url.split('/').at(-1);
    assert.match(await rep.page.content(), /0 z wymaganych 100/);

    // a 17-year-old (born 15 June 2009) is told when they may support it
    const minor = await person();
    const young = resident(pesel('092615', 7), 'Ola');
    await minor.page.goto(`${s.base}/auth/login?provider=national&login_hint=${young}&return_to=/inicjatywy/${id}`);
    await minor.page.getByLabel('stale zamieszkuję na obszarze gminy').check();
    await minor.page.getByLabel(/jestem obywatelem polskim/).check();
    await minor.page.getByRole('button', { name: 'Popieram projekt' }).click();
    await minor.page.getByRole('alert').waitFor();
    assert.match(await minor.page.getByRole('alert').textContent(), /15\.06\.2027/);
    await minor.check();
    await minor.ctx.close();

    // one resident in the browser, 99 more through the API, each logged in at the node
    const first = await person();
    const who = resident(pesel('750303', 1), 'Zofia');
    await first.page.goto(`${s.base}/auth/login?provider=national&login_hint=${who}&return_to=/inicjatywy/${id}`);
    await first.page.getByLabel('stale zamieszkuję na obszarze gminy').check();
    await first.page.getByLabel(/jestem obywatelem polskim/).check();
    await first.page.getByRole('button', { name: 'Popieram projekt' }).click();
    await first.page.waitForURL(/poparcie=zapisane/);
    assert.match(await first.page.content(), /1 z wymaganych 100/);
    await first.check();
    await first.ctx.close();
    for (let n = 0; n < 99; n += 1) {
      const ctx = await s.browser.newContext();
      const p = resident(pesel('700101', 100 + n), `Osoba ${n}`);
      await ctx.request.get(`${s.base}/auth/login?provider=national&login_hint=${p}`);
      const r = await ctx.request.post(`${s.base}/api/initiatives/${id}/supports`, {
        headers: { Origin: s.base },
        data: { permanent_resident: true, eu_citizen: true },
      });
      assert.equal(r.status(), 201, await r.text());
      await ctx.close();
    }

    // the representative files it and gets the receipt of the case
    await rep.page.goto(url);
    await rep.check();
    await rep.page.getByRole('button', { name: 'Złóż projekt w radzie gminy' }).click();
    await rep.page.waitForURL(/\/potwierdzenie\//);
    await rep.check();
    const api = await (await rep.page.request.get(`${s.base}/api/initiatives/${id}`)).json();
    assert.equal(api.state, 'filed');
    assert.equal(api.supports.online, 100);
    await rep.page.goto(url);
    assert.match(await rep.page.content(), /złożona w radzie gminy/);
    await rep.check();
    await rep.ctx.close();

    // a clerk sees the supports to verify
    const clerk = await person();
    await clerk.page.goto(`${s.base}/auth/login?provider=staff&login_hint=kierownik-so&return_to=/urzad`);
    const list = await clerk.page.request.get(`${s.base}/api/initiatives/${id}/supports?limit=100`);
    assert.equal(list.status(), 200, await list.text());
    assert.equal((await list.json()).items.length, 100);
    await clerk.ctx.close();
  });
});
