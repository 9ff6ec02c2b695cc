// The national node for the end-to-end tests: node-oidc-provider, a real third-party
// OpenID Provider. PKCE is required, ID tokens are ES256 and carry `pesel` and `acr`;
// `login_hint` (a PESEL) logs in at once, otherwise a login page asks for the PESEL and
// the means of identification (its level of assurance). `hooks.idToken` lets a test
// tamper with the ID token the token endpoint returns.
import { createServer } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';
import { SignJWT, decodeJwt, decodeProtectedHeader, importJWK } from 'jose';

const LOA = (l) => `http://eidas.europa.eu/LoA/${l}`;

export const accounts = {
  '44051401359': { given_name: 'Jan', family_name: 'Kowalski', birthdate: '1944-05-14', email: 'jan@example.pl', level: 'substantial' },
  '85122407623': { given_name: 'Anna', family_name: 'Nowak', birthdate: '1985-12-24', email: 'anna@example.pl', level: 'low' },
  // staff of the town hall (the same provider plays the office's own here)
  'kierownik-so': { given_name: 'Ewa', family_name: 'Zielińska', email: 'ewa@gmina.example', roles: ['clerk'], unit: 'SO', level: 'substantial' },
  'kierownik-fn': { given_name: 'Piotr', family_name: 'Wiśniewski', email: 'piotr@gmina.example', roles: ['clerk'], unit: 'FN', level: 'substantial' },
};

const page = (title, body) => `<!DOCTYPE html><html lang="pl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} — Węzeł Krajowy (test)</title></head>
<body><main><h1>${title}</h1>${body}</main></body></html>`;

export async function startOp({ port, redirectUri, postLogoutUri, clientSecret }) {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'wk-test-1', alg: 'ES256', use: 'sig' };
  const signingKey = await importJWK(jwk, 'ES256');
  const issuer = `http://127.0.0.1:${port}`;
  const hooks = { idToken: null, ended: 0 };

  const provider = new Provider(issuer, {
    clients: [{
      client_id: 'okienko',
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: [postLogoutUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      id_token_signed_response_alg: 'ES256',
    }],
    jwks: { keys: [jwk] },
    pkce: { required: () => true },
    scopes: ['openid', 'profile', 'email', 'pesel', 'roles'],
    claims: { openid: ['sub', 'amr'], profile: ['given_name', 'family_name', 'birthdate'], email: ['email'], pesel: ['pesel'], roles: ['roles', 'unit'] },
    acrValues: ['low', 'substantial', 'high'].map(LOA),
    conformIdTokenClaims: false,
    findAccount: (ctx, sub) => accounts[sub] && {
      accountId: sub,
      claims: () => ({ sub, pesel: /^\d{11}$/.test(sub) ? sub : undefined, ...accounts[sub], level: undefined }),
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = page('Wylogowanie', `${form}<p>Czy wylogować z Węzła Krajowego?</p>
            <button type="submit" form="op.logoutForm" name="logout" value="yes">Wyloguj</button>`);
        },
      },
    },
    interactions: { url: (ctx, i) => `/interaction/${i.uid}` },
    cookies: { keys: ['e2e-only'] },
    ttl: { Session: 3600, Interaction: 600, Grant: 3600, IdToken: 300, AccessToken: 300, AuthorizationCode: 60 },
  });
  provider.proxy = false;

  // the token endpoint's answer, as a test wants it broken
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/session/end/confirm') hooks.ended += 1;
    if (process.env.E2E_DEBUG && ctx.path === '/token' && ctx.body?.id_token) console.log('id_token', decodeJwt(ctx.body.id_token));
    if (ctx.path !== '/token' || ctx.status !== 200 || !hooks.idToken || !ctx.body?.id_token) return;
    const token = ctx.body.id_token;
    if (hooks.idToken === 'tamper') {
      const [h, p, s] = token.split('.');
      const claims = JSON.parse(Buffer.from(p, 'base64url'));
      claims.pesel = '02271804624';
      ctx.body.id_token = [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), s].join('.');
    } else if (hooks.idToken === 'wrong-nonce') {
      const claims = { ...decodeJwt(token), nonce: 'not-the-one-you-sent' };
      ctx.body.id_token = await new SignJWT(claims)
        .setProtectedHeader(decodeProtectedHeader(token))
        .sign(signingKey);
    }
    hooks.idToken = null;
  });

  // the level the person reached: their means, or what the client asked for when the hint
  // logs them in at once (as if they had used the stronger means)
  const rank = { low: 1, substantial: 2, high: 3 };
  const login = async (req, res, accountId, level, params, raise) => {
    const wanted = (params.acr_values ?? '').split(' ').map((v) => v.split('/').at(-1)).filter((v) => rank[v]);
    const top = wanted.sort((a, b) => rank[b] - rank[a])[0];
    const acr = LOA(raise && top && rank[top] > rank[level] ? top : level);
    // staff log in with a second factor (okienko refuses staff tokens without one in `amr`)
    const amr = accounts[accountId]?.roles ? ['pwd', 'otp'] : ['pwd'];
    await provider.interactionFinished(req, res, { login: { accountId, acr, amr } }, { mergeWithLastSubmission: false });
  };

  const server = createServer(async (req, res) => {
    try {
      const m = req.url.match(/^\/interaction\/([^/?]+)(\/login)?/);
      if (!m) return provider.callback()(req, res);
      const { prompt, params, session } = await provider.interactionDetails(req, res);
      if (prompt.name === 'login') {
        if (req.method === 'POST' && m[2]) {
          const body = new URLSearchParams(await new Promise((ok) => { let b = ''; req.on('data', (c) => { b += c; }); req.on('end', () => ok(b)); }));
          const pesel = body.get('pesel');
          if (!accounts[pesel]) {
            res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
            return res.end(page('Logowanie', '<p role="alert">Nie znamy takiej osoby.</p>'));
          }
          return login(req, res, pesel, body.get('means') === 'substantial' ? 'substantial' : 'low', params, false);
        }
        const hint = params.login_hint;
        if (hint && accounts[hint]) return login(req, res, hint, accounts[hint].level, params, true);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(page('Logowanie', `<form method="post" action="/interaction/${m[1]}/login">
          <p><label for="pesel">PESEL</label> <input id="pesel" name="pesel" inputmode="numeric" autocomplete="off"></p>
          <fieldset><legend>Sposób logowania</legend>
            <p><input type="radio" id="means-low" name="means" value="low" checked> <label for="means-low">login i hasło (poziom niski)</label></p>
            <p><input type="radio" id="means-sub" name="means" value="substantial"> <label for="means-sub">Profil Zaufany / mObywatel (poziom średni)</label></p>
          </fieldset>
          <button type="submit">Zaloguj</button></form>`));
      }
      // consent: everything the client asked for
      const grant = new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
      if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
      if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
      const grantId = await grant.save();
      return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(e));
    }
  });
  await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
  return { issuer, hooks, close: () => new Promise((ok) => { server.close(ok); server.closeAllConnections(); }) };
}
