// An echo bot that joins Switchboard through the TCP event-bus bridge (docs/bridge.md) and answers every message
// sent to it with {echo: <the message's body>}. No Switchboard library: the bridge's frames are a 4-byte big-endian
// length followed by a JSON object.
//
//   BRIDGE=127.0.0.1:7000 SERVICE=echo SECRET=... node echo-bot.mjs
//
// The service's credential and its bot (a user of kind bot, created with POST /api/v1/bots) come from the server's
// config (verticles.bridge.services). Prints "bot ready <uid>" once it listens; runs until killed or disconnected.
import net from 'node:net';

const [host, port] = (process.env.BRIDGE || '127.0.0.1:7000').split(':');
const service = process.env.SERVICE || 'echo';
const secret = process.env.SECRET;
if (!secret) {
  console.error('SECRET (the service credential) is required');
  process.exit(2);
}

const socket = net.connect(Number(port), host);
let buffered = Buffer.alloc(0);
const pending = new Map();
let replies = 0;

function write(frame) {
  const json = Buffer.from(JSON.stringify(frame));
  const header = Buffer.alloc(4);
  header.writeUInt32BE(json.length);
  socket.write(Buffer.concat([header, json]));
}

/** A send with a reply address; resolves with the reply frame ("message", or "err" with failureCode). */
function request(address, body) {
  const replyAddress = `bot-reply-${++replies}`;
  write({ type: 'send', address, replyAddress, body });
  return new Promise((resolve) => pending.set(replyAddress, resolve));
}

let botAddress = null;
let botUid = null;
let ready = false;

function onFrame(frame) {
  if (frame.address && pending.has(frame.address)) {
    const resolve = pending.get(frame.address);
    pending.delete(frame.address);
    resolve(frame);
  } else if (frame.type === 'pong' && botAddress && !ready) {
    ready = true;
    console.log(`bot ready ${botUid}`);
  } else if (frame.type === 'message' && frame.address === botAddress && frame.body.op === 'msg') {
    const msg = frame.body;
    request('im.router.send', { cid: `echo-${msg.mid}`, to: msg.from, type: msg.type, body: { echo: msg.body } })
      .then((ack) => {
        if (ack.type === 'err') console.error(`reply refused: ${ack.message}`);
        else console.log(`echoed ${msg.mid} as ${ack.body.mid}`);
      });
  } else if (frame.type === 'err') {
    console.error(`bridge error: ${frame.message}`);
  }
}

socket.on('data', (chunk) => {
  buffered = Buffer.concat([buffered, chunk]);
  while (buffered.length >= 4) {
    const length = buffered.readUInt32BE(0);
    if (buffered.length < 4 + length) break;
    onFrame(JSON.parse(buffered.subarray(4, 4 + length).toString()));
    buffered = buffered.subarray(4 + length);
  }
});
socket.on('close', () => {
  console.log('bridge closed');
  process.exit(botAddress ? 0 : 1);
});
socket.on('error', (e) => console.error(`bridge socket: ${e.message}`));

socket.on('connect', async () => {
  const hello = await request('im.bridge.auth', { service, secret });
  if (hello.type !== 'message') {
    console.error(`refused: ${hello.message}`);
    process.exit(1);
  }
  botAddress = hello.body.address;
  botUid = hello.body.uid;
  write({ type: 'register', address: botAddress });
  // The bridge does not acknowledge a registration; a ping after it is answered once it is in place.
  write({ type: 'ping' });
  // Keep the connection alive.
  setInterval(() => write({ type: 'ping' }), 20000).unref();
});
