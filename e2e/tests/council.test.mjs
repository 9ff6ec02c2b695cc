// The council in a real browser (issue 16 §2, §2b): a resident files a petition to the
// council with consent to publish their name, and it appears in the public register; a
// councillor on the committee records the committee's opinion and puts it on a session's
// agenda; three councillors of five sign in (a quorum), the chair opens the vote, one votes
// against, the room's screen follows by server-sent events, the chair closes it, the named
// list is published; the council's resolution closes the case and the register shows the
// answer. axe runs on every page.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { accounts } from '../lib/op.mjs';
import { axe, startStack } from '../lib/stack.mjs';

const JAN = '44051401359';
const COUNCIL = `
[council]
name = "Rada Gminy Przykładowo"
office_unit = "BR"
statutory_members = 5

[[council.members]]
login = "staff:radna-1"
name = "Anna Przewodnicząca"
chair = true

[[council.members]]
login = "staff:radny-2"
name = "Jan Komisyjny"
committee = true

[[council.members]]
login = "staff:radny-3"
name = "Piotr Przeciwny"
`;

const staff = (given, family, roles, unit) => ({ given_name: given, family_name: family, email: `${family.toLowerCase()}@gmina.example`, roles, unit, level: 'substantial' });
accounts['radna-1'] = staff('Anna', 'Przewodnicząca', ['councillor']);
accounts['radny-2'] = staff('Jan', 'Komisyjny', ['councillor']);
accounts['radny-3'] = staff('Piotr', 'Przeciwny', ['councillor']);
accounts['biuro-br'] = staff('Ewa', 'Biurowa', ['clerk'], 'BR');

let s;
before(async () => { s = await startStack({ extra: COUNCIL }); });
after(async () => { await s?.stop(); });

async function person(login, provider = 'staff', to = '/') {
  const ctx = await s.browser.newContext({ locale: 'pl-PL' });
  const page = await ctx.newPage();
  await page.goto(`${s.base}/auth/login?provider=${provider}&login_hint=${login}&return_to=${encodeURIComponent(to)}`);
  return { ctx, page, check: () => axe(page) };
}

const api = (p, path, data) => p.page.request.post(`${s.base}${path}`, { headers: { Origin: s.base }, data });

describe('the council', () => {
  it('from a petition to the council resolution, with an electronic vote', async () => {
    // a resident files a petition to the council, consenting to publish their name
    const jan = await person(JAN, 'national', '/uslugi/petycja');
    const { page } = jan;
    await jan.check();
    await page.getByRole('button', { name: 'Rozpocznij' }).click();
    await page.locator('#submitter_kind-person').check();
    await page.locator('#name').fill('Jan Kowalski');
    await page.getByLabel('Ulica').fill('Lipowa');
    await page.getByLabel('Numer domu').fill('5');
    await page.getByLabel('Kod pocztowy').fill('64-530');
    await page.getByLabel('Miejscowość').fill('Przykładowo');
    await jan.check();
    await page.getByRole('button', { name: 'Dalej' }).click();
    await page.locator('#addressee').selectOption('council');
    await page.locator('#subject').fill('Ławki na Rynku');
    await page.locator('#content').fill('Wnoszę o ustawienie ławek na Rynku, bo starsi mieszkańcy nie mają gdzie odpocząć.');
    await page.locator('#publish_name_consent-yes').check();
    await page.locator('#third_party_interest-no').check();
    await jan.check();
    await page.getByRole('button', { name: 'Dalej' }).click();
    await page.waitForURL(/\/sprawdz$/);
    await jan.check();
    await page.getByRole('button', { name: 'Złóż wniosek' }).click();
    await page.waitForURL(/\/potwierdzenie\//);
    await jan.check();
    const receipt = await (await page.request.get(`${s.base}/api/receipts/${page.url().split('/').at(-1)}`)).json();
    const sign = receipt.claims.registration.case_sign;
    assert.match(sign, /^BR\.1510\./, 'a petition to the council goes to its office');

    // the public register shows it, with the name (consent given)
    await page.goto(`${s.base}/petycje`);
    await jan.check();
    await page.getByRole('link', { name: sign }).click();
    await page.getByRole('heading', { name: 'Ławki na Rynku' }).waitFor();
    assert.match(await page.content(), /Jan Kowalski/);
    await jan.check();

    // the office plans a session
    const office = await person('biuro-br', 'staff', '/rada/sesje');
    const created = await api(office, '/api/council/sessions', { title: 'XII sesja Rady Gminy Przykładowo', starts_at: '2026-12-10T16:00', place: 'Sala sesyjna, ul. Rynek 1' });
    assert.equal(created.status(), 201, await created.text());
    const session = (await created.json()).id;

    // the committee: the opinion, then the agenda
    const member = await person('radny-2', 'staff', '/rada/komisja');
    await member.page.getByRole('link', { name: sign }).waitFor();
    await member.check();
    await member.page.getByRole('link', { name: sign }).click();
    await member.check();
    await member.page.getByLabel('Opinia komisji').fill('Komisja opiniuje petycję pozytywnie i rekomenduje jej uwzględnienie.');
    await member.page.getByRole('button', { name: 'Zapisz opinię' }).click();
    await member.page.getByText('rekomenduje jej uwzględnienie').first().waitFor();
    await member.check();
    await member.page.getByRole('button', { name: 'Wprowadź do porządku obrad' }).click();
    await member.page.getByText('XII sesja').first().waitFor();
    await member.check();
    const opened = await api(office, `/api/council/sessions/${session}/open`);
    assert.equal(opened.status(), 200, await opened.text());
    const item = (await opened.json()).items[0].id;

    // the room's screen, watched from the start
    const screen = await person('44051401359', 'national', `/rada/sesje/${session}/ekran`);
    await screen.page.goto(`${s.base}/rada/sesje/${session}/ekran`);
    await screen.check();

    // three councillors of five sign in: a quorum (3)
    const chair = await person('radna-1', 'staff', `/rada/sesje/${session}/glosowanie`);
    const against = await person('radny-3', 'staff', `/rada/sesje/${session}/glosowanie`);
    await member.page.goto(`${s.base}/rada/sesje/${session}/glosowanie`);
    for (const c of [chair, member, against]) {
      await c.check();
      await c.page.getByRole('button', { name: 'Potwierdzam obecność' }).click();
      await c.page.getByRole('button', { name: 'Potwierdzam obecność' }).waitFor({ state: 'detached' });
    }
    await chair.page.reload();
    assert.match(await chair.page.content(), /kworum jest/);
    await chair.page.locator('#item').selectOption(item);
    await chair.page.getByRole('button', { name: 'Otwórz głosowanie' }).click();
    await chair.page.getByRole('button', { name: /Zamknij głosowanie/ }).waitFor();
    await chair.check();
    for (const [c, choice] of [[chair, 'Za'], [member, 'Za'], [against, 'Przeciw']]) {
      await c.page.reload();
      await c.page.getByRole('button', { name: choice, exact: true }).click();
      await c.page.getByText('Twój głos został oddany.').waitFor();
      await c.check();
    }
    await screen.page.locator('[data-vote-detail]').filter({ hasText: 'Głosy oddane: 3 z 3' }).waitFor();
    await chair.page.reload();
    await chair.page.getByRole('button', { name: /Zamknij głosowanie/ }).click();
    await chair.page.getByRole('button', { name: 'Otwórz głosowanie' }).waitFor();

    // the screen shows the result live, with the named list
    await screen.page.locator('[data-last]').filter({ hasText: 'PRZYJĘTO. Za 2, przeciw 1' }).waitFor();
    const named = await screen.page.locator('[data-named]').innerText();
    assert.match(named, /Piotr Przeciwny\s+przeciw/);
    await screen.check();

    // the published named list
    await screen.page.goto(`${s.base}/rada/sesje/${session}`);
    await screen.check();
    const list = await screen.page.getByRole('table', { name: 'Imienny wykaz głosowania radnych' }).innerText();
    assert.match(list, /Anna Przewodnicząca\s+za/);
    assert.match(list, /Jan Komisyjny\s+za/);
    assert.match(list, /Piotr Przeciwny\s+przeciw/);

    // the council's resolution closes the case; the register shows the answer
    const resolved = await api(member, `/api/council/sessions/${session}/items/${item}/resolution`, {
      number: 'XII/87/2026', text: 'Rada Gminy uznaje petycję za zasadną i wzywa Wójta do ustawienia ławek na Rynku.', outcome: 'granted',
    });
    assert.equal(resolved.status(), 200, await resolved.text());
    await page.goto(`${s.base}/petycje/${sign}`);
    await jan.check();
    const register = await page.content();
    assert.match(register, /rozpatrzona/);
    assert.match(register, /Uchwała nr XII\/87\/2026/);
    assert.match(register, /rekomenduje jej uwzględnienie/);
    for (const p of [jan, office, member, chair, against, screen]) await p.ctx.close();
  });

  it('a group petition: a member co-signs it with consent, the register names them', async () => {
    const rep = await person(JAN, 'national', '/petycje');
    const filed = await rep.page.request.post(`${s.base}/api/services/petycja/submissions`, { headers: { Origin: s.base, 'Idempotency-Key': 'e2e-group-petition' }, data: { data: {
      submitter_kind: 'group',
      name: 'Mieszkańcy ulicy Polnej',
      representative: 'Jan Kowalski',
      members: [{ name: 'Jan Kowalski', residence: 'Przykładowo' }, { name: 'Anna Nowak', residence: 'Przykładowo' }],
      address: { street: 'Polna', building: '2', postal_code: '64-530', locality: 'Przykładowo' },
      addressee: 'mayor',
      subject: 'Oświetlenie ulicy Polnej',
      content: 'Wnosimy o oświetlenie ulicy Polnej, bo wieczorem jest tam zupełnie ciemno.',
      publish_name_consent: true,
      third_party_interest: false,
    } } });
    assert.equal(filed.status(), 201, await filed.text());
    const sign = (await filed.json()).receipt.claims.registration.case_sign;

    const anna = await person('85122407623', 'national', `/petycje/${sign}`);
    await anna.page.getByRole('heading', { name: 'Współpodpisujący' }).waitFor();
    await anna.check();
    await anna.page.getByLabel(/Zgadzam się na publikację mojego imienia i nazwiska/).check();
    await anna.page.getByRole('button', { name: 'Potwierdzam współpodpis' }).click();
    await anna.page.waitForURL(/wspolpodpis=zapisany/);
    await anna.check();
    const table = await anna.page.getByRole('table', { name: /Współpodpisujący, którzy zgodzili się/ }).innerText();
    assert.match(table, /Anna Nowak/);

    // the representative sees who confirmed, with their consent
    await rep.page.goto(`${s.base}/petycje/${sign}`);
    await rep.check();
    const mine = await rep.page.getByRole('table', { name: /Wszyscy, którzy potwierdzili/ }).innerText();
    assert.match(mine, /Anna Nowak\s+\S+\s+tak/);
    for (const p of [rep, anna]) await p.ctx.close();
  });
});
