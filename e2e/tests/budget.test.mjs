// The participatory budget (u.s.g. art. 5a; issue 15) in a real browser against the real
// national node: the coordinator sets an edition up from the council's resolution, a
// resident proposes two projects through the form and others support them (online, and
// one signature of a paper list typed in by a clerk and accepted by another), a clerk
// evaluates (one project rejected on its merits), its author appeals and wins, residents
// vote on the page and one on a paper card (typed in and accepted by another clerk), and
// the worker publishes the signed protocol, which `okienko receipt verify` accepts.
// axe runs on every page. The windows are days apart: the journey moves the edition's
// dates back two days at a time in the database, as the days would pass.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accounts } from '../lib/op.mjs';
import { BIN, axe, startStack } from '../lib/stack.mjs';

let s;
before(async () => { s = await startStack(); });
after(async () => { await s?.stop(); });

/** `n` days from today in Poland, `YYYY-MM-DD`. */
const day = (n) => new Date(Date.now() + n * 86400000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Warsaw' });

/** A valid PESEL of someone born on `yymmdd`, serial `n`. */
function pesel(yymmdd, n) {
  const body = `${yymmdd}${String(n).padStart(4, '0')}`;
  const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  const sum = [...body].reduce((acc, c, i) => acc + Number(c) * w[i], 0);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

function resident(given, n) {
  const p = pesel('800101', n);
  accounts[p] = { given_name: given, family_name: 'Mieszkańcowa', email: `${p}@example.pl`, level: 'substantial' };
  return p;
}

function staff(sub, given, roles) {
  accounts[sub] = { given_name: given, family_name: 'Urzędnicza', email: `${sub}@gmina.example`, roles, unit: 'SO', level: 'substantial' };
  return sub;
}

async function login(provider, hint, returnTo) {
  const ctx = await s.browser.newContext({ locale: 'pl-PL' });
  const page = await ctx.newPage();
  await page.goto(`${s.base}/auth/login?provider=${provider}&login_hint=${hint}&return_to=${returnTo}`);
  const call = async (method, path, data) => {
    const r = await page.request.fetch(`${s.base}${path}`, { method, headers: { Origin: s.base }, data });
    return { status: r.status(), body: await r.json().catch(() => null) };
  };
  return { ctx, page, check: () => axe(page), call };
}

/** The days pass: every window of the edition `n` days earlier. */
function daysPass(id, n) {
  const url = readFileSync(s.config, 'utf8').match(/database_url = "(.*)"/)[1];
  const cols = ['intake_opens_on', 'intake_closes_on', 'evaluation_closes_on', 'appeals_closes_on', 'voting_opens_on', 'voting_closes_on', 'results_on'];
  execFileSync('psql', [url, '-q', '-v', 'ON_ERROR_STOP=1', '-c', `UPDATE budget_edition SET ${cols.map((c) => `${c} = ${c} - ${n}`).join(', ')},
    body = jsonb_set(body::jsonb, '{windows}', (SELECT jsonb_object_agg(k, to_char((v #>> '{}')::date - ${n}, 'YYYY-MM-DD')) FROM jsonb_each(body::jsonb -> 'windows') AS w(k, v)))::text
    WHERE id = '${id}'`]);
}

describe('participatory budget', () => {
  it('from the resolution to the signed protocol: projects, evaluation, an appeal, votes online and on paper', async () => {
    const coordinator = await login('staff', staff('koordynator-bo', 'Olga', ['admin']), '/budzet');
    const created = await coordinator.call('POST', '/api/budgets', { edition: {
      title: 'Budżet obywatelski 2027',
      legal_basis: { resolution: 'XV/201/2026', adopted_on: '2026-09-24', link: 'https://bip.przykladowo.example.pl/uchwaly/xv-201-2026' },
      pools: [{ code: 'GMINA', name: 'Projekty ogólnogminne', amount: 100000000, ballot: { kind: 'approval', max_projects: 2 } }],
      windows: { intake_opens: day(0), intake_closes: day(1), evaluation_closes: day(3), appeals_closes: day(5), voting_opens: day(6), voting_closes: day(7), results_on: day(8) },
      rule: { rule: 'greedy' },
      support_threshold: 2,
    } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;
    await coordinator.page.goto(`${s.base}/budzet`);
    await coordinator.check();
    await coordinator.ctx.close();

    // a resident proposes two projects through the form
    const author = await login('national', resident('Anna', 1), `/budzet/${id}`);
    await author.check();
    const projects = {};
    for (const [title, cost] of [['Park kieszonkowy', '600000'], ['Fontanna na rynku', '300000']]) {
      await author.page.goto(`${s.base}/budzet/${id}`);
      await author.page.getByRole('link', { name: 'Zgłoś projekt' }).click();
      await author.check();
      await author.page.getByLabel('Tytuł projektu').fill(title);
      await author.page.getByLabel('Miejsce realizacji').fill('ul. Lipowa 12, działka 34/5');
      await author.page.getByLabel('Opis projektu').fill('Zieleń, ławki i cień dla mieszkańców osiedla.');
      await author.page.getByLabel('Szacunkowy koszt (zł)').fill(cost);
      await author.page.getByLabel('Kto skorzysta z projektu').fill('Mieszkańcy osiedla i dzieci z pobliskiej szkoły.');
      await author.page.getByRole('button', { name: 'Zgłoś projekt' }).click();
      await author.page.getByRole('heading', { name: title }).waitFor();
      await author.check();
      projects[title] = author.page.url().split('/').at(-1);
    }
    const park = projects['Park kieszonkowy'];
    const fountain = projects['Fontanna na rynku'];

    // others support them on the project's page, and on a paper list typed in with four eyes
    for (const [name, n] of [['Ewa', 2], ['Jan', 3]]) {
      const r = await login('national', resident(name, n), `/budzet/${id}/projekty/${park}`);
      for (const p of [park, fountain]) {
        await r.page.goto(`${s.base}/budzet/${id}/projekty/${p}`);
        await r.page.getByRole('button', { name: 'Popieram ten projekt' }).click();
        await r.page.waitForURL(/poparcie=zapisane/);
        await r.check();
      }
      await r.ctx.close();
    }
    const clerk = await login('staff', staff('urzednik-bo', 'Piotr', ['clerk']), '/urzad');
    const second = await login('staff', staff('kierownik-bo', 'Marta', ['clerk']), '/urzad');
    const line = await clerk.call('POST', `/api/budgets/${id}/paper/supports`, { card: '1/1', pesel: pesel('800101', 4), data: { project: park } });
    assert.equal(line.status, 201, JSON.stringify(line.body));
    const own = await clerk.call('POST', `/api/budgets/${id}/paper/supports/${line.body.id}/accept`, {});
    assert.equal(own.status, 403, 'the clerk who typed it in does not accept it');
    const accepted = await second.call('POST', `/api/budgets/${id}/paper/supports/${line.body.id}/accept`, {});
    assert.equal(accepted.body.state, 'accepted', JSON.stringify(accepted.body));
    await author.page.goto(`${s.base}/budzet/${id}/projekty/${park}`);
    assert.match(await author.page.content(), /Poparcia<\/dt>\s*<dd[^>]*>3</);

    // evaluation: the park passes; the fountain is rejected on its merits
    daysPass(id, 2);
    const evaluate = (p, stage, positive, reasons) => clerk.call('POST', `/api/budgets/${id}/projects/${p}/evaluation`, { stage, positive, reasons });
    for (const stage of ['formal', 'merit']) assert.equal((await evaluate(park, stage, true, 'Spełnia wymogi.')).status, 200);
    assert.equal((await evaluate(fountain, 'formal', true, 'Spełnia wymogi formalne.')).status, 200);
    const refused = await evaluate(fountain, 'merit', false, 'Rynek jest zabytkiem: konserwator nie zgodzi się na fontannę.');
    assert.equal(refused.body.status, 'rejected', JSON.stringify(refused.body));

    // the author appeals and wins
    daysPass(id, 2);
    const appeal = await author.call('POST', `/api/budgets/${id}/projects/${fountain}/appeal`, { text: 'Konserwator zgodził się na fontannę w 2024 r.; załączam pismo.' });
    assert.equal(appeal.status, 200, JSON.stringify(appeal.body));
    const decided = await clerk.call('POST', `/api/budgets/${id}/projects/${fountain}/appeal/decision`, { upheld: true, reasons: 'Pismo konserwatora potwierdza zgodę.' });
    assert.equal(decided.body.status, 'admitted_on_appeal', JSON.stringify(decided.body));
    await author.page.goto(`${s.base}/budzet/${id}/projekty/${fountain}`);
    assert.match(await author.page.content(), /Konserwator zgodził się/);
    await author.check();

    // residents vote on the page; one votes on a paper card
    daysPass(id, 2);
    for (const [name, n, choose] of [['Ewa', 2, ['Park kieszonkowy', 'Fontanna na rynku']], ['Jan', 3, ['Park kieszonkowy']]]) {
      const v = await login('national', resident(name, n), `/budzet/${id}`);
      await v.page.getByRole('link', { name: 'Głosuj' }).click();
      await v.check();
      for (const title of choose) await v.page.getByLabel(new RegExp(title)).check();
      await v.page.getByLabel('Oświadczam, że mieszkam w gminie').check();
      await v.page.getByRole('button', { name: 'Oddaj głos' }).click();
      await v.page.getByRole('heading', { name: 'Głos oddany' }).waitFor();
      await v.check();
      await v.ctx.close();
    }
    const card = await clerk.call('POST', `/api/budgets/${id}/paper/ballots`, {
      card: 'K-0001', pesel: pesel('800101', 5),
      data: { declares_residence: true, area: null, choices: { GMINA: [{ project: park }] } },
    });
    assert.equal(card.status, 201, JSON.stringify(card.body));
    const counted = await second.call('POST', `/api/budgets/${id}/paper/ballots/${card.body.id}/accept`, {});
    assert.equal(counted.body.state, 'accepted', JSON.stringify(counted.body));
    await clerk.ctx.close();
    await second.ctx.close();

    // the results day: the worker tallies and publishes the signed protocol
    daysPass(id, 2);
    const worker = spawn(BIN, ['worker'], { env: { ...process.env, OKIENKO_CONFIG: s.config, RUST_LOG: 'warn' } });
    let protocol;
    try {
      for (let i = 0; i < 300 && !protocol; i += 1) {
        const r = await fetch(`${s.base}/api/budgets/${id}/results`);
        if (r.ok) protocol = await r.json();
        else await new Promise((ok) => setTimeout(ok, 100));
      }
    } finally {
      worker.kill('SIGTERM');
    }
    assert.ok(protocol, 'the worker published the protocol');
    assert.deepEqual({ ...protocol.ballots }, { online: 2, paper: 1, valid: 3, invalid: {} });
    assert.deepEqual(protocol.pools[0].winners.sort(), [fountain, park].sort());
    await author.page.goto(`${s.base}/budzet/${id}/wyniki`);
    await author.check();
    assert.match(await author.page.content(), /Park kieszonkowy/);
    const pdf = await author.page.request.get(`${s.base}/api/budgets/${id}/results.pdf`);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    await author.ctx.close();

    // anyone checks the protocol offline with the office's published keys
    const file = join(s.dir, 'protokol.json');
    const keys = join(s.dir, 'jwks.json');
    writeFileSync(file, JSON.stringify(protocol));
    writeFileSync(keys, await (await fetch(`${s.base}/.well-known/jwks.json`)).text());
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OKIENKO_')));
    const out = execFileSync(BIN, ['receipt', 'verify', file, '--jwks', keys], { env, encoding: 'utf8' });
    assert.match(out, /VALID budget protocol/);
  });
});
