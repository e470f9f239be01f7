// An app's backend beside Switchboard, with nothing but Node's standard library:
//  - it is the app's identity provider: users log in here and get a JWT signed with the backend's Ed25519 key, which
//    Switchboard verifies against GET /.well-known/jwks.json (auth.external); no Switchboard account, no password there;
//  - it receives Switchboard's webhooks (POST /hooks/events), checks their signature and keeps the events; an offline
//    notification (message.offline) is where a real app would send its FCM/APNs push;
//  - it moderates every message before it is stored (POST /hooks/before-send): rejects spam, masks bad words;
//  - it bans users through Switchboard's server API (POST /admin/ban/<user>).
// Run: node backend.mjs  (environment below). docs/integration.md explains each part.
import crypto from 'node:crypto';
import http from 'node:http';

const b64url = (buf) => Buffer.from(buf).toString('base64url');

/** Verifies `X-Switchboard-Signature: t=<unix s>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` (5 minutes' tolerance). */
export function verifySignature(secret, header, rawBody, toleranceSeconds = 300) {
  const parts = Object.fromEntries((header || '').split(',').map((p) => p.split('=', 2)));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = crypto.createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/** What the moderator does with a message body: reject it, replace it, or let it through. */
export function moderate(body) {
  const text = typeof body === 'string' ? body : body && typeof body.text === 'string' ? body.text : null;
  if (text === null) return { action: 'allow' };
  if (/\b(buy crypto|free money)\b/i.test(text)) {
    return { action: 'reject', code: 'spam', message: 'this looks like spam' };
  }
  const masked = text.replace(/\b(darn|heck)\b/gi, (w) => w[0] + '*'.repeat(w.length - 1));
  if (masked === text) return { action: 'allow' };
  return { action: 'allow', body: typeof body === 'string' ? masked : { ...body, text: masked } };
}

export function startBackend({
  port = 0,
  issuer = 'http://127.0.0.1',
  audience = 'switchboard',
  switchboardApi = 'http://127.0.0.1:8080',
  apiKey,
  webhookSecret,
  hookSecret,
  log = () => {},
} = {}) {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const kid = 'key-' + crypto.randomBytes(4).toString('hex');
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'EdDSA', use: 'sig' };
  // The app's own users (a real app has a database and password hashes).
  const users = new Map([['alice', 'alice-password'], ['bob', 'bob-password'], ['carol', 'carol-password']]);
  const events = [];
  const seen = new Set();
  const listeners = new Set();

  function sign(sub, name) {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ alg: 'EdDSA', typ: 'JWT', kid }));
    const payload = b64url(JSON.stringify({ iss: issuer, aud: audience, sub, name, iat: now, exp: now + 3600 }));
    const signature = crypto.sign(null, Buffer.from(`${header}.${payload}`), privateKey);
    return `${header}.${payload}.${b64url(signature)}`;
  }

  async function switchboard(method, path, body) {
    const res = await fetch(switchboardApi + path, {
      method,
      headers: { 'X-Api-Key': apiKey, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  function readBody(req) {
    return new Promise((resolve, reject) => {
      const chunks = [];
      let size = 0;
      req.on('data', (c) => {
        size += c.length;
        if (size > 1 << 20) { reject(new Error('too large')); req.destroy(); } else chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }

  function reply(res, status, json) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(json === undefined ? '' : JSON.stringify(json));
  }

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://backend');
      const raw = await readBody(req);
      if (req.method === 'GET' && url.pathname === '/.well-known/jwks.json') {
        return reply(res, 200, { keys: [jwk] });
      }
      if (req.method === 'POST' && url.pathname === '/login') {
        const { user, password } = JSON.parse(raw.toString() || '{}');
        if (users.get(user) !== password) return reply(res, 401, { error: 'wrong user or password' });
        // The app's id for the user is its own; Switchboard maps it to a uid on first use.
        return reply(res, 200, { token: sign(user, user[0].toUpperCase() + user.slice(1)) });
      }
      if (req.method === 'POST' && url.pathname === '/hooks/events') {
        if (!verifySignature(webhookSecret, req.headers['x-switchboard-signature'], raw)) {
          log('webhook with a bad signature refused');
          return reply(res, 401, { error: 'bad signature' });
        }
        for (const e of JSON.parse(raw.toString()).events) {
          if (seen.has(e.id)) continue; // at least once: drop repeats by id
          seen.add(e.id);
          events.push(e);
          if (e.type === 'message.offline') {
            log(`push notification to user ${e.data.uid}: ${e.data.preview ?? '(new message)'} (${e.data.unread} unread)`);
          }
          for (const l of listeners) l(e);
        }
        return reply(res, 204);
      }
      if (req.method === 'POST' && url.pathname === '/hooks/before-send') {
        if (!verifySignature(hookSecret, req.headers['x-switchboard-signature'], raw)) {
          return reply(res, 401, { error: 'bad signature' });
        }
        return reply(res, 200, moderate(JSON.parse(raw.toString()).body));
      }
      const ban = url.pathname.match(/^\/admin\/(ban|unban)\/([a-z]+)$/);
      if (req.method === 'POST' && ban) {
        // The uid of one of our users (made now if they never connected), then the ban.
        const who = await switchboard('POST', '/api/v1/admin/identities', { externalId: ban[2] });
        if (who.status >= 300) return reply(res, 502, who.body);
        const done = await switchboard(ban[1] === 'ban' ? 'PUT' : 'DELETE', `/api/v1/admin/users/${who.body.uid}/ban`);
        return reply(res, done.status, done.body);
      }
      return reply(res, 404, { error: 'not found' });
    } catch (e) {
      log('backend error: ' + e.message);
      return reply(res, 500, { error: 'internal' });
    }
  });

  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({
    port: server.address().port,
    events,
    sign,
    /** The first event (already received or still to come) that matches `test`, within `ms`. */
    waitFor(test, ms = 20000) {
      const found = events.find(test);
      if (found) return Promise.resolve(found);
      return new Promise((ok, fail) => {
        const timer = setTimeout(() => { listeners.delete(l); fail(new Error('no such event within ' + ms + ' ms')); }, ms);
        const l = (e) => { if (test(e)) { clearTimeout(timer); listeners.delete(l); ok(e); } };
        listeners.add(l);
      });
    },
    close: () => new Promise((ok) => server.close(ok)),
  })));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const env = process.env;
  const backend = await startBackend({
    port: Number(env.PORT || 3000),
    issuer: env.ISSUER || 'http://127.0.0.1:3000',
    audience: env.AUDIENCE || 'switchboard',
    switchboardApi: env.SWITCHBOARD_API || 'http://127.0.0.1:8080',
    apiKey: env.SWITCHBOARD_API_KEY,
    webhookSecret: env.WEBHOOK_SECRET,
    hookSecret: env.HOOK_SECRET,
    log: console.log,
  });
  console.log(`example backend on http://127.0.0.1:${backend.port}`);
}
