// The example backend against a real Switchboard node (started by node/src/test/.../ExampleBackendIT.java, which
// points auth.external, the webhooks and the before-send hook at this backend): users sign in with the app's own
// tokens, messages are moderated, webhooks arrive signed (offline notifications among them), and a ban through the
// server API closes a user's session. Environment: API, WS, API_KEY, BACKEND_PORT, ISSUER, WEBHOOK_SECRET,
// HOOK_SECRET. Prints "all checks passed" and exits 0, or throws.
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startBackend } from './backend.mjs';

const env = process.env;
const backend = await startBackend({
  port: Number(env.BACKEND_PORT),
  issuer: env.ISSUER,
  audience: 'switchboard',
  switchboardApi: env.API,
  apiKey: env.API_KEY,
  webhookSecret: env.WEBHOOK_SECRET,
  hookSecret: env.HOOK_SECRET,
  log: (line) => console.log('backend: ' + line),
});

/** A WebSocket session of Switchboard's JSON protocol (docs/protocol.md): requests by id, frames by op. */
function connect() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(env.WS);
    const frames = [];
    const waiting = [];
    let next = 1;
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString());
      const i = waiting.findIndex((w) => w.test(f));
      if (i >= 0) waiting.splice(i, 1)[0].resolve(f); else frames.push(f);
    });
    ws.on('error', reject);
    const session = {
      closed: new Promise((ok) => ws.on('close', (code) => ok(code))),
      frame(test, ms = 20000) {
        const i = frames.findIndex(test);
        if (i >= 0) return Promise.resolve(frames.splice(i, 1)[0]);
        return new Promise((ok, fail) => {
          const w = { test, resolve: (f) => { clearTimeout(timer); ok(f); } };
          const timer = setTimeout(() => { waiting.splice(waiting.indexOf(w), 1); fail(new Error('no frame within ' + ms + ' ms')); }, ms);
          waiting.push(w);
        });
      },
      request(frame) {
        const id = 'r' + next++;
        ws.send(JSON.stringify({ ...frame, id }));
        return session.frame((f) => f.id === id);
      },
      close: () => ws.close(),
    };
    ws.on('open', () => resolve(session));
  });
}

async function login(user) {
  const res = await fetch(`http://127.0.0.1:${backend.port}/login`, {
    method: 'POST', body: JSON.stringify({ user, password: `${user}-password` }),
  });
  assert.equal(res.status, 200);
  return (await res.json()).token;
}

async function online(user, device) {
  const s = await connect();
  const ok = await s.request({ op: 'auth', token: await login(user), device });
  assert.equal(ok.op, 'auth.ok', JSON.stringify(ok));
  s.uid = ok.uid;
  s.session = ok.session;
  return s;
}

try {
  // 1. Sign in with the app's own tokens: Switchboard makes the users on first use.
  const alice = await online('alice', 'web');
  const bob = await online('bob', 'web');
  assert.notEqual(alice.uid, bob.uid);
  console.log(`alice is uid ${alice.uid}, bob uid ${bob.uid}`);

  // 2. A message goes through, and the backend hears of it (signed webhook).
  let cid = 0;
  const send = (from, to, body) => from.request({ op: 'msg.send', cid: 'c' + ++cid, to: to.uid, type: 'text', body });
  const ack = await send(alice, bob, 'hello bob');
  assert.equal(ack.op, 'msg.ack', JSON.stringify(ack));
  assert.equal((await bob.frame((f) => f.op === 'msg' && f.mid === ack.mid)).body, 'hello bob');
  const sent = await backend.waitFor((e) => e.type === 'message.sent' && e.data.mid === ack.mid);
  assert.equal(sent.data.from, alice.uid);

  // 3. Moderation: a bad word is masked, spam is refused with the backend's code.
  const masked = await send(alice, bob, 'you darn bot');
  assert.equal((await bob.frame((f) => f.op === 'msg' && f.mid === masked.mid)).body, 'you d*** bot');
  const spam = await send(alice, bob, 'buy crypto now');
  assert.equal(spam.op, 'error');
  assert.equal(spam.code, 'rejected');
  assert.equal(spam.reason, 'spam');

  // 4. Bob goes offline: the next message to him is an offline notification for the backend to push.
  bob.close();
  await backend.waitFor((e) => e.type === 'user.offline' && e.data.session === bob.session);
  const later = await send(alice, bob, 'are you there?');
  const offline = await backend.waitFor((e) => e.type === 'message.offline' && e.data.mid === later.mid);
  assert.equal(offline.data.uid, bob.uid);
  assert.equal(offline.data.preview, 'are you there?');

  // 5. The backend bans alice: her session closes at once and she cannot sign in again until unbanned.
  const ban = await fetch(`http://127.0.0.1:${backend.port}/admin/ban/alice`, { method: 'POST' });
  assert.equal(ban.status, 200, await ban.text());
  assert.equal((await alice.frame((f) => f.op === 'kicked')).reason, 'banned');
  assert.equal(await alice.closed, 4010);
  const again = await connect();
  const refused = await again.request({ op: 'auth', token: await login('alice'), device: 'web' });
  assert.equal(refused.code, 'banned', JSON.stringify(refused));
  const unban = await fetch(`http://127.0.0.1:${backend.port}/admin/unban/alice`, { method: 'POST' });
  assert.equal(unban.status, 200);
  const back = await online('alice', 'web');
  assert.equal(back.uid, alice.uid);
  back.close();

  console.log(`${backend.events.length} webhook events received, every signature checked`);
  console.log('all checks passed');
} finally {
  await backend.close();
}
process.exit(0);
