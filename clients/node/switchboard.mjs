// A small Switchboard client for Node.js: log in over HTTP, connect a WebSocket with the protobuf codec (or JSON),
// send and receive frames as plain objects in the JSON form of docs/protocol.md. The protobuf schema is
// protocol/src/main/proto/switchboard.proto, read at run time by protobufjs (no protoc needed); docs/protobuf.md says
// how a frame maps between its JSON form and protobuf, which is what toProto / fromProto below implement.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { createRequire } from 'node:module';
import protobuf from 'protobufjs';
import WebSocket from 'ws';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SCHEMA = path.resolve(here, '../../protocol/src/main/proto/switchboard.proto');

/** Loads the schema; resolves google/protobuf/* imports from the copies protobufjs ships. */
export async function loadSchema(file = SCHEMA) {
  const require = createRequire(import.meta.url);
  const googleDir = path.dirname(require.resolve('protobufjs/google/protobuf/descriptor.proto'));
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => target.startsWith('google/protobuf/')
    ? path.join(googleDir, path.basename(target))
    : protobuf.util.path.resolve(origin, target);
  await root.load(file, { keepCase: false });
  root.resolveAll();
  return new Codec(root);
}

const VALUE = '.google.protobuf.Value';
const STRUCT = '.google.protobuf.Struct';
const LIST = '.google.protobuf.ListValue';

/** Converts frames between their JSON form ({op, id, ...}) and protobuf bytes (switchboard.v1.Frame). */
export class Codec {
  constructor(root) {
    this.Frame = root.lookupType('switchboard.v1.Frame');
  }

  /** A JSON-form frame to protobuf bytes (a Uint8Array). */
  encode(frame) {
    return this.Frame.encode(this.Frame.fromObject(frameToProto(this.Frame, frame))).finish();
  }

  /** Protobuf bytes to a JSON-form frame. */
  decode(bytes) {
    return frameFromProto(this.Frame, this.Frame.decode(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)));
  }
}

const FRAME = '.switchboard.v1.Frame';
const has = (msg, name) => Object.prototype.hasOwnProperty.call(msg, name);

/** The payload field of each op, read from the schema's (op_name) options. */
function payloadFields(Frame) {
  if (!Frame.byOp) {
    Frame.byOp = new Map(Frame.oneofs.payload.fieldsArray.map((f) => [f.options['(op_name)'], f]));
  }
  return Frame.byOp;
}

/** A JSON-form frame to the plain object protobufjs builds a Frame from. */
function frameToProto(Frame, frame) {
  const { op, id, ...fields } = frame;
  const out = {};
  const extra = {};
  if (typeof id === 'string') out.idStr = id;
  else if (Number.isInteger(id)) out.idNum = id;
  else if (id !== undefined) extra.id = id;
  const field = payloadFields(Frame).get(op);
  if (field) {
    out[field.name] = toProto(field.resolvedType, fields, extra);
  } else {
    out.op = op;
    Object.assign(extra, fields);
  }
  if (Object.keys(extra).length) out.extra = toStruct(extra);
  return out;
}

/** A decoded Frame to its JSON form. */
function frameFromProto(Frame, msg) {
  const frame = {};
  const name = msg.payload;
  frame.op = name ? Frame.fields[name].options['(op_name)'] : msg.op;
  if (msg.id === 'idStr') frame.id = msg.idStr;
  else if (msg.id === 'idNum') frame.id = Number(msg.idNum);
  if (name) Object.assign(frame, fromProto(Frame.fields[name].resolvedType, msg[name]));
  if (msg.extra) Object.assign(frame, fromStruct(msg.extra));
  return frame;
}

function toProto(type, obj, extra) {
  const out = {};
  for (const [k, v] of Object.entries(obj)) {
    const f = type.fields[k];
    if (!f || v === null || !fits(f, v)) {
      extra[k] = v;
      continue;
    }
    out[k] = convertIn(f, v);
  }
  return out;
}

function fits(f, v) {
  if (f.repeated) return Array.isArray(v) && v.length > 0;
  if (f.map) return typeof v === 'object' && !Array.isArray(v);
  return true;
}

function convertIn(f, v) {
  const one = (x) => {
    const t = f.resolvedType;
    if (t && t.fullName === VALUE) return toValue(x);
    if (t && t.fullName === STRUCT) return toStruct(x);
    if (t && t.fullName === FRAME) return frameToProto(t, x);
    if (t instanceof protobuf.Type) return toProto(t, x, {});
    return x;
  };
  if (f.map) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, one(x)]));
  return f.repeated ? v.map(one) : one(v);
}

function fromProto(type, msg) {
  const out = {};
  for (const f of type.fieldsArray) {
    // Only what was on the wire: protobufjs answers defaults from the prototype for the rest.
    if (!has(msg, f.name)) continue;
    const v = msg[f.name];
    if (v === undefined || v === null) continue;
    if (f.repeated && v.length === 0) continue;
    if (f.map && Object.keys(v).length === 0) continue;
    out[f.name] = convertOut(f, v);
  }
  return out;
}

function convertOut(f, v) {
  const one = (x) => {
    const t = f.resolvedType;
    if (t && t.fullName === VALUE) return fromValue(x);
    if (t && t.fullName === STRUCT) return fromStruct(x);
    if (t && t.fullName === FRAME) return frameFromProto(t, x);
    if (t instanceof protobuf.Type) return fromProto(t, x);
    if (protobuf.util.Long.isLong(x) || typeof x === 'number') {
      // Message ids exceed 2^53: decimal strings, as in the JSON protocol; other integers are numbers.
      return f.options && f.options['(decimal_string)'] ? x.toString() : Number(x);
    }
    return x;
  };
  if (f.map) return Object.fromEntries(Object.entries(v).map(([k, x]) => [mapKey(f, k), one(x)]));
  return f.repeated ? v.map(one) : one(v);
}

/** protobufjs keys maps of 64-bit integers by an 8-byte hash; JSON keys are the decimal numbers. */
function mapKey(f, k) {
  if (!/^(u?int64|s?fixed64|sint64)$/.test(f.keyType)) return k;
  const unsigned = f.keyType.startsWith('u') || f.keyType === 'fixed64';
  return protobuf.util.LongBits.fromHash(k).toLong(unsigned).toString();
}

function toValue(v) {
  if (v === null || v === undefined) return { nullValue: 0 };
  if (typeof v === 'number') return { numberValue: v };
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (Array.isArray(v)) return { listValue: { values: v.map(toValue) } };
  return { structValue: toStruct(v) };
}

function toStruct(o) {
  return { fields: Object.fromEntries(Object.entries(o).map(([k, v]) => [k, toValue(v)])) };
}

function fromValue(v) {
  switch (v.kind) {
    case 'numberValue': return v.numberValue;
    case 'stringValue': return v.stringValue;
    case 'boolValue': return v.boolValue;
    case 'structValue': return fromStruct(v.structValue);
    case 'listValue': return (v.listValue.values || []).map(fromValue);
    default: return null;
  }
}

function fromStruct(s) {
  return Object.fromEntries(Object.entries(s.fields || {}).map(([k, v]) => [k, fromValue(v)]));
}

/** The HTTP API: register (if needed) and log in; returns {token, uid, gateways}. */
export async function login(api, username, password, device = 'node') {
  const post = async (p, body) => {
    const r = await fetch(api + p, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body) });
    return { status: r.status, body: await r.json() };
  };
  const reg = await post('/api/v1/users', { username, password });
  if (reg.status !== 201 && reg.status !== 409) throw new Error(`register: ${reg.status} ${JSON.stringify(reg.body)}`);
  const session = await post('/api/v1/sessions', { username, password, device });
  if (session.status !== 200) throw new Error(`login: ${session.status} ${JSON.stringify(session.body)}`);
  return session.body;
}

/**
 * Uploads a file for a conversation (POST /api/v1/media): `data` is a Buffer, Uint8Array or Blob, `to` a user or
 * `group` a group, `type` its MIME type, `name` optional. Resolves to the upload ({id, type, size, name, w, h,
 * thumbnail, sha256, ...}); a message of type image, file or voice then names it: `body: {media: upload.id, ...}`.
 */
export async function uploadMedia(api, token, data, { to, group, type = 'application/octet-stream', name } = {}) {
  const query = new URLSearchParams(to !== undefined ? { to: String(to) } : { group: String(group) });
  if (name) query.set('name', name);
  const r = await fetch(`${api}/api/v1/media?${query}`, { method: 'POST', body: data,
    headers: { authorization: `Bearer ${token}`, 'content-type': type } });
  const body = await r.json();
  if (r.status !== 201) throw new Error(`upload: ${r.status} ${JSON.stringify(body)}`);
  return body;
}

/**
 * An upload you may read, with absolute signed URLs: {..., url, thumbnailUrl?, expiresAt}. The URLs need no token
 * and expire at `expiresAt` (epoch ms): ask again after that.
 */
export async function mediaUrls(api, token, id) {
  const r = await fetch(`${api}/api/v1/media/${id}`, { headers: { authorization: `Bearer ${token}` } });
  const body = await r.json();
  if (r.status !== 200) throw new Error(`media: ${r.status} ${JSON.stringify(body)}`);
  body.url = api + body.url;
  if (body.thumbnailUrl) body.thumbnailUrl = api + body.thumbnailUrl;
  return body;
}

/**
 * One long connection. `codec` is a Codec (protobuf: binary messages, ?codec=protobuf) or null (JSON text messages).
 * Frames come out of `next(match)` in arrival order; `request(frame)` adds an id and waits for the frame echoing it.
 */
export class Connection {
  static async open(wsUrl, codec) {
    const url = codec ? wsUrl + (wsUrl.includes('?') ? '&' : '?') + 'codec=protobuf' : wsUrl;
    const ws = new WebSocket(url);
    ws.binaryType = 'nodebuffer';
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    return new Connection(ws, codec);
  }

  constructor(ws, codec) {
    this.ws = ws;
    this.codec = codec;
    this.queue = [];
    this.waiters = [];
    this.ids = 0;
    this.received = { text: 0, binary: 0 };
    ws.on('message', (data, isBinary) => {
      this.received[isBinary ? 'binary' : 'text']++;
      const frame = isBinary && this.codec ? this.codec.decode(data) : JSON.parse(data.toString());
      const i = this.waiters.findIndex((w) => w.match(frame));
      if (i >= 0) this.waiters.splice(i, 1)[0].resolve(frame);
      else this.queue.push(frame);
    });
  }

  send(frame) {
    this.ws.send(this.codec ? this.codec.encode(frame) : JSON.stringify(frame));
  }

  next(match, timeoutMs = 10000) {
    const test = typeof match === 'string' ? (f) => f.op === match : match;
    const i = this.queue.findIndex(test);
    if (i >= 0) return Promise.resolve(this.queue.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const w = { match: test, resolve: (f) => { clearTimeout(w.timer); resolve(f); } };
      w.timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`no frame matching ${match} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  request(frame, timeoutMs) {
    const id = `n${++this.ids}`;
    const reply = this.next((f) => f.id === id, timeoutMs);
    this.send({ ...frame, id });
    return reply;
  }

  /** Tells the peer ({to}) or a group ({group}) that the user is typing, or with stop: true that it stopped. */
  typing({ to, group, stop }) {
    this.send({ op: 'typing', ...(to ? { to } : { group }), ...(stop ? { stop: true } : {}) });
  }

  /** Replaces the body of a message the user sent (group: the group's id, for a group message). */
  edit(mid, body, group) {
    return this.request({ op: 'msg.edit', mid, body, ...(group ? { group } : {}) });
  }

  /** Adds (or with remove: true takes back) a reaction on a message the user can read. */
  react(mid, emoji, { group, remove } = {}) {
    return this.request({ op: 'msg.react', mid, emoji, ...(group ? { group } : {}), ...(remove ? { remove: true } : {}) });
  }

  async auth(token, device = 'node') {
    const ok = await this.request({ op: 'auth', token, device });
    if (ok.op !== 'auth.ok') throw new Error(`auth failed: ${JSON.stringify(ok)}`);
    return ok;
  }

  /** Calls the HTTP API over this connection (the `api` op); resolves to {status, body}. */
  async api(method, path, body) {
    const reply = await this.request(body === undefined ? { op: 'api', method, path } : { op: 'api', method, path, body });
    if (reply.op !== 'api.result') throw new Error(`api ${method} ${path}: ${JSON.stringify(reply)}`);
    return { status: reply.status, body: reply.body };
  }

  /**
   * Searches the messages this user can read (GET /api/v1/search): `q` the words, `options` {limit, before, peer,
   * group}. Resolves to {results, next}; pass `next` as `before` for the following page (absent on the last).
   */
  async search(q, options = {}) {
    const params = new URLSearchParams({ q });
    for (const k of ['limit', 'before', 'peer', 'group']) {
      if (options[k] !== undefined) params.set(k, String(options[k]));
    }
    const r = await this.api('GET', `/api/v1/search?${params}`);
    if (r.status !== 200) throw new Error(`search: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  close() {
    this.ws.close();
  }
}
