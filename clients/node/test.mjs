// The Node.js client against a real server: two users, one on the protobuf codec and one on JSON, chat with each
// other and search what they said; the protobuf user then talks to the echo bot (echo-bot.mjs, on the TCP event-bus
// bridge) and gets its answer.
//
//   API=http://127.0.0.1:8080 WS=ws://127.0.0.1:8081/ws BOT_UID=<uid of the bot> node test.mjs
//
// Exits 0 and prints "node client: all checks passed" when every check held; exits 1 naming the first that did not.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Connection, loadSchema, login, mediaUrls, uploadMedia } from './switchboard.mjs';

const api = process.env.API || 'http://127.0.0.1:8080';
const wsUrl = process.env.WS || 'ws://127.0.0.1:8081/ws';
const botUid = Number(process.env.BOT_UID);

async function main() {
  const codec = await loadSchema();
  const run = randomUUID().slice(0, 8);
  const alice = await login(api, `nodealice${run}`, 'node-password-1');
  const bob = await login(api, `nodebob${run}`, 'node-password-1');

  const aliceConn = await Connection.open(wsUrl, codec); // protobuf
  const bobConn = await Connection.open(wsUrl, null); // JSON
  assert.equal((await aliceConn.auth(alice.token)).uid, alice.uid);
  assert.equal((await bobConn.auth(bob.token)).uid, bob.uid);

  // Protobuf → JSON.
  const ack1 = await aliceConn.request({ op: 'msg.send', cid: `a-${run}`, to: bob.uid, type: 'text',
    body: { text: 'hello from protobuf', n: 1 } });
  assert.equal(ack1.op, 'msg.ack', JSON.stringify(ack1));
  assert.match(ack1.mid, /^\d+$/, 'mids are decimal strings');
  const atBob = await bobConn.next((f) => f.op === 'msg' && f.mid === ack1.mid);
  assert.deepEqual(atBob.body, { text: 'hello from protobuf', n: 1 });
  assert.equal(atBob.from, alice.uid);

  // JSON → protobuf.
  const ack2 = await bobConn.request({ op: 'msg.send', cid: `b-${run}`, to: alice.uid, type: 'text',
    body: 'hello from JSON' });
  const atAlice = await aliceConn.next((f) => f.op === 'msg' && f.mid === ack2.mid);
  assert.equal(atAlice.body, 'hello from JSON');
  assert.equal(atAlice.from, bob.uid);
  assert.equal(typeof atAlice.seq, 'number');

  // Typing, an edit and reactions, both ways between the codecs.
  aliceConn.typing({ to: bob.uid });
  const typing = await bobConn.next('typing');
  assert.equal(typing.from, alice.uid);
  assert.ok(typing.expiresInMs > 0);
  const edited = await aliceConn.edit(ack1.mid, { text: 'hello from protobuf, edited', n: 2 });
  assert.equal(edited.op, 'msg.edit.ok', JSON.stringify(edited));
  const editAtBob = await bobConn.next('msg.edited');
  assert.deepEqual(editAtBob.body, { text: 'hello from protobuf, edited', n: 2 });
  assert.equal(editAtBob.editedAt, edited.editedAt);
  assert.equal((await bobConn.react(ack1.mid, '👍')).op, 'msg.react.ok');
  const reactions = await aliceConn.next('msg.reactions');
  assert.deepEqual(reactions.reactions, [{ emoji: '👍', count: 1 }]);
  assert.equal(reactions.by, bob.uid);
  assert.equal((await aliceConn.react(ack1.mid, '👍')).op, 'msg.react.ok');
  // A file: uploaded for bob's conversation, named by a message, fetched by bob through its signed URL.
  const bytes = Buffer.from(`a file from node ${run}`);
  const upload = await uploadMedia(api, alice.token, bytes, { to: bob.uid, type: 'text/plain', name: 'note.txt' });
  assert.equal(upload.size, bytes.length);
  const ack3 = await aliceConn.request({ op: 'msg.send', cid: `f-${run}`, to: bob.uid, type: 'file',
    body: { media: upload.id, caption: 'read this' } });
  assert.equal(ack3.op, 'msg.ack', JSON.stringify(ack3));
  const fileMsg = await bobConn.next((f) => f.op === 'msg' && f.mid === ack3.mid);
  const info = await mediaUrls(api, bob.token, fileMsg.body.media);
  const download = await fetch(info.url);
  assert.equal(download.status, 200);
  assert.deepEqual(Buffer.from(await download.arrayBuffer()), bytes);
  const noMedia = await aliceConn.request({ op: 'msg.send', cid: `g-${run}`, to: bob.uid, type: 'image', body: 'x' });
  assert.equal(noMedia.code, 'invalid_field');

  // History over the protobuf connection.
  const page = await aliceConn.request({ op: 'sync', after: 0, limit: 50 });
  assert.equal(page.op, 'sync.batch');
  assert.ok(page.msgs.some((m) => m.mid === ack1.mid) && page.msgs.some((m) => m.mid === ack2.mid));
  const first = page.msgs.find((m) => m.op === 'msg' && m.mid === ack1.mid);
  assert.deepEqual(first.body, { text: 'hello from protobuf, edited', n: 2 });
  assert.deepEqual(first.reactions, [{ emoji: '👍', count: 2, me: true }]);

  // Search over the api op, in both codecs: each finds the message by a word of its text.
  const found = await aliceConn.search('PROTOBUF hello', { limit: 5 });
  assert.deepEqual(found.results.map((r) => r.mid), [ack1.mid], JSON.stringify(found));
  assert.equal(found.results[0].to, bob.uid);
  assert.equal(found.next, undefined, 'one page');
  const bobFound = await bobConn.search('json', { peer: alice.uid });
  assert.deepEqual(bobFound.results.map((r) => r.mid), [ack2.mid]);
  assert.equal(bobFound.results[0].body, 'hello from JSON');

  // The echo bot answers over the bridge.
  if (botUid) {
    const ask = await aliceConn.request({ op: 'msg.send', cid: `q-${run}`, to: botUid, type: 'text',
      body: 'ping the bot' });
    assert.equal(ask.op, 'msg.ack');
    const answer = await aliceConn.next((f) => f.op === 'msg' && f.from === botUid, 15000);
    assert.deepEqual(answer.body, { echo: 'ping the bot' });
  }

  // Bad input gets an error in the connection's own codec, and the connection stays.
  const err = await aliceConn.request({ op: 'msg.send', cid: `x-${run}`, to: -5, type: 'text', body: 'x' });
  assert.equal(err.op, 'error');
  assert.equal(err.code, 'invalid_field');
  assert.equal((await aliceConn.request({ op: 'ping' })).op, 'pong');

  assert.equal(aliceConn.received.text, 0, 'a protobuf connection gets only binary messages');
  assert.ok(aliceConn.received.binary >= 6);
  assert.equal(bobConn.received.binary, 0, 'a JSON connection gets only text messages');
  aliceConn.close();
  bobConn.close();
  console.log('node client: all checks passed');
}

main().then(() => process.exit(0), (e) => {
  console.error(`node client: FAILED: ${e.stack || e}`);
  process.exit(1);
});
