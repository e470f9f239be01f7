// Switchboard web client: plain JavaScript over the documented protocol (docs/protocol.md) and HTTP API.
// One WebSocket per tab; inbox and group seqs are kept in localStorage so a reconnect (or a laptop waking up) syncs
// exactly what it missed. History comes from the HTTP API, page by page.
'use strict';

const $ = (id) => document.getElementById(id);
const store = window.localStorage;
const DEVICE = 'web';

const state = {
  token: null, uid: null, username: null, ws: null, online: false, retry: 0, closing: false,
  contacts: [], requests: { incoming: [], outgoing: [] }, groups: new Map(), unread: new Map(), invitations: [],
  names: new Map(), convs: new Map(), current: null, pending: new Map(), nextId: 1,
  // conversation key → Map(uid → time its typing indicator ends); unread mentions by conversation key; what the
  // composer is doing besides sending ({kind: 'edit' | 'reply', m}); media info by id; the upload waiting to be sent.
  typing: new Map(), mentions: new Map(), compose: null, media: new Map(), upload: null, typingSent: 0,
};

// ---------- HTTP ----------
async function api(method, path, body) {
  const headers = { 'content-type': 'application/json' };
  if (state.token) headers.authorization = 'Bearer ' + state.token;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const err = new Error((json && json.message) || res.statusText);
    err.code = json && json.code;
    err.status = res.status;
    if (res.status === 401 && state.token) logout(false);
    throw err;
  }
  return json;
}

async function userByName(name) {
  const q = name.trim().toLowerCase();
  const found = await api('GET', '/api/v1/users?q=' + encodeURIComponent(q) + '&limit=1');
  const u = found.users[0];
  if (!u || u.username !== q) throw new Error('no user "' + q + '"');
  state.names.set(u.uid, u.nickname || u.username);
  return u;
}

async function nameOf(uid) {
  if (state.names.has(uid)) return state.names.get(uid);
  try {
    const u = await api('GET', '/api/v1/users/' + uid);
    state.names.set(uid, u.nickname || u.username);
  } catch (e) {
    state.names.set(uid, 'user ' + uid);
  }
  return state.names.get(uid);
}

function button(text, testid, onclick, className) {
  const b = document.createElement('button');
  b.textContent = text;
  b.dataset.testid = testid;
  b.onclick = onclick;
  if (className) b.className = className;
  return b;
}

function showError(where, e) {
  $(where).textContent = e ? (e.message || String(e)) : '';
}

// ---------- auth ----------
async function authenticate(register) {
  showError('auth-error');
  const username = $('auth-username').value.trim();
  const password = $('auth-password').value;
  try {
    if (register) await api('POST', '/api/v1/users', { username, password });
    const s = await api('POST', '/api/v1/sessions', { username, password, device: DEVICE });
    store.setItem('sb.session', JSON.stringify({ token: s.token, uid: s.uid, username: username.toLowerCase(),
      ws: s.gateways.ws }));
    start();
  } catch (e) {
    showError('auth-error', e);
  }
}

function session() {
  try {
    return JSON.parse(store.getItem('sb.session'));
  } catch (e) {
    return null;
  }
}

async function logout(callServer) {
  if (callServer && state.token) {
    try { await api('DELETE', '/api/v1/sessions/current'); } catch (e) { /* the token is gone either way */ }
  }
  store.removeItem('sb.session');
  state.token = null;
  state.closing = true;
  if (state.ws) state.ws.close();
  $('app').hidden = true;
  $('auth').hidden = false;
}

/**
 * The session's token expires soon (token.expiring): get a fresh one and move the open connection to it. Every tab of
 * this browser shares the stored token, and a token can be refreshed once: a tab that finds a newer token stored by
 * another tab takes that one instead of refreshing again.
 */
async function refreshToken() {
  const stored = session();
  if (stored && stored.token !== state.token) {
    state.token = stored.token;
  } else {
    const fresh = await api('POST', '/api/v1/sessions/refresh');
    state.token = fresh.token;
    store.setItem('sb.session', JSON.stringify({ ...stored, token: fresh.token }));
  }
  await request({ op: 'auth.refresh', token: state.token });
}

// ---------- the long connection ----------
function key(name) {
  return 'sb.' + state.uid + '.' + name;
}

function seqOf(name) {
  return Number(store.getItem(key(name)) || 0);
}

function setSeq(name, seq) {
  if (seq > seqOf(name)) store.setItem(key(name), String(seq));
}

function send(frame) {
  if (state.ws && state.ws.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify(frame));
}

function request(frame) {
  return new Promise((resolve, reject) => {
    const id = state.nextId++;
    state.pending.set(id, { resolve, reject });
    frame.id = id;
    if (!state.ws || state.ws.readyState !== WebSocket.OPEN) {
      state.pending.delete(id);
      reject(new Error('offline'));
      return;
    }
    state.ws.send(JSON.stringify(frame));
  });
}

function connect() {
  const s = session();
  state.closing = false;
  const ws = new WebSocket(s.ws);
  state.ws = ws;
  ws.onopen = () => ws.send(JSON.stringify({ op: 'auth', token: state.token, device: DEVICE }));
  ws.onmessage = (ev) => onFrame(JSON.parse(ev.data));
  ws.onclose = (ev) => {
    setOnline(false);
    for (const p of state.pending.values()) p.reject(new Error('disconnected'));
    state.pending.clear();
    if (state.closing || ws !== state.ws) return;
    // kicked (4004), bad token (4002), logout (4008), an expired token (4009) and a ban (4010) end the session;
    // anything else reconnects.
    if (ev.code === 4002 || ev.code === 4004 || ev.code === 4008 || ev.code === 4009 || ev.code === 4010) {
      logout(false);
      showError('auth-error', new Error('Signed out: ' + (ev.reason || ev.code)));
      return;
    }
    const wait = Math.min(10000, 500 * 2 ** state.retry++);
    setTimeout(() => { if (state.token && !state.closing) connect(); }, wait);
  };
}

function setOnline(on) {
  state.online = on;
  $('status').textContent = on ? 'online' : 'reconnecting…';
  $('status').className = 'status' + (on ? ' online' : '');
}

async function onFrame(f) {
  if (f.id !== undefined && state.pending.has(f.id)) {
    const p = state.pending.get(f.id);
    state.pending.delete(f.id);
    if (f.op === 'error') {
      const e = new Error(f.message);
      e.code = f.code;
      p.reject(e);
    } else {
      p.resolve(f);
    }
    return;
  }
  switch (f.op) {
    case 'auth.ok':
      state.retry = 0;
      setOnline(true);
      syncInbox().catch((e) => showError('side-error', e));
      break;
    case 'groups':
      syncGroups(f.groups).catch((e) => showError('side-error', e));
      break;
    case 'msg':
      received(f, true);
      break;
    case 'msg.recalled':
      recalled(f);
      break;
    case 'msg.edited':
      edited(f, true);
      break;
    case 'msg.reactions':
      reacted(f, true);
      break;
    case 'typing':
      onTyping(f);
      break;
    case 'presence':
      onPresence(f);
      break;
    case 'msg.delivered':
      for (const mid of f.mids) mark(mid, 'delivered');
      break;
    case 'msg.read':
      if (f.peer === undefined) markReadUpTo(f.by, f.upTo);
      else clearUnread('u:' + f.peer);
      break;
    case 'group.event':
      groupEvent(f, true);
      break;
    case 'contact.event':
      loadContacts();
      break;
    case 'group.invite':
      loadInvitations();
      break;
    case 'token.expiring':
      refreshToken().catch((e) => showError('side-error', e));
      break;
    case 'kicked':
      showError('auth-error', new Error('Signed out: ' + f.reason));
      break;
    default:
      break;
  }
}

// ---------- sync ----------
async function syncInbox() {
  if (store.getItem(key('inbox')) === null) {
    // First visit of this browser: history comes from the API; only what arrives from now on needs syncing.
    const head = await request({ op: 'sync', after: 0, limit: 1 });
    store.setItem(key('inbox'), String(head.head || 0));
    return;
  }
  let after = seqOf('inbox');
  for (;;) {
    const page = await request({ op: 'sync', after, limit: 200 });
    for (const m of page.msgs) {
      if (m.op === 'msg') received(m, true);
      else if (m.op === 'msg.recalled') recalled(m);
      else if (m.op === 'msg.edited') edited(m, true);
      else if (m.op === 'msg.reactions') reacted(m, true);
      after = Math.max(after, m.seq);
    }
    setSeq('inbox', after);
    if (!page.more) break;
  }
  if (after > 0) send({ op: 'msg.recv', upTo: after });
  // The catch-up counted what it replayed as unread on top of what the list may have loaded already: the server's
  // counts, read now, include every message up to here.
  await loadContacts();
}

async function syncGroups(heads) {
  const ask = {};
  for (const [gid, head] of Object.entries(heads)) {
    const name = 'group.' + gid;
    if (store.getItem(key(name)) === null) store.setItem(key(name), String(head));
    else if (seqOf(name) < head) ask[gid] = seqOf(name);
  }
  while (Object.keys(ask).length) {
    const reply = await request({ op: 'sync', groups: ask, limit: 200 });
    for (const page of reply.groups) {
      const gid = String(page.group);
      delete ask[gid];
      if (!page.msgs) continue;
      for (const m of page.msgs) {
        if (m.op === 'msg') received(m, true);
        else if (m.op === 'group.event') groupEvent(m, true);
        else if (m.op === 'msg.recalled') recalled(m);
        else if (m.op === 'msg.edited') edited(m, true);
        else if (m.op === 'msg.reactions') reacted(m, true);
      }
      if (page.more) ask[gid] = page.msgs[page.msgs.length - 1].seq;
    }
  }
  // As for the inbox: the server's unread counts, read after the catch-up, replace what it counted.
  await loadGroups();
}

// ---------- conversations ----------
function convKey(m) {
  if (m.group !== undefined) return 'g:' + m.group;
  return 'u:' + (m.from === state.uid ? m.to : m.from);
}

function conv(k) {
  if (!state.convs.has(k)) {
    state.convs.set(k, { key: k, msgs: new Map(), loaded: false, more: false });
  }
  return state.convs.get(k);
}

function received(m, live) {
  const k = convKey(m);
  const c = conv(k);
  const seqName = m.group !== undefined ? 'group.' + m.group : 'inbox';
  if (live) setSeq(seqName, m.seq);
  if (m.group === undefined && live) send({ op: 'msg.recv', upTo: m.seq });
  if (c.msgs.has(m.mid)) return;
  // A message we sent from this tab arrives as the ack's copy; match it by cid.
  for (const [id, old] of c.msgs) {
    if (old.cid === m.cid && m.from === state.uid && old.pending) c.msgs.delete(id);
  }
  c.msgs.set(m.mid, { ...m });
  const typers = state.typing.get(k);
  if (typers && typers.delete(m.from)) renderTyping();
  if (m.from !== state.uid) {
    if (state.current === k && document.visibilityState !== 'hidden') markRead(k);
    else {
      bumpUnread(k, 1);
      if (mentionsMe(m)) state.mentions.set(k, (state.mentions.get(k) || 0) + 1);
    }
  }
  if (state.current === k) render();
  else renderSide();
}

function mentionsMe(m) {
  return m.from !== state.uid && (m.mentionAll === true || (Array.isArray(m.mentions) && m.mentions.includes(state.uid)));
}

/** Every message (in any conversation) with mid {@code mid}. */
function* copies(mid) {
  for (const c of state.convs.values()) {
    const m = c.msgs.get(mid);
    if (m) yield m;
  }
}

function edited(f, live) {
  if (live) setSeq(f.group !== undefined ? 'group.' + f.group : 'inbox', f.seq);
  for (const m of copies(f.mid)) {
    if (f.body === null) {
      m.recalled = true;
      m.body = null;
    } else {
      m.body = f.body;
      m.editedAt = f.editedAt;
    }
  }
  // Replies quoting it show its new text.
  for (const c of state.convs.values()) {
    for (const m of c.msgs.values()) {
      if (m.reply && m.reply.mid === f.mid && !m.reply.recalled && f.body !== null) {
        m.reply = { ...m.reply, text: quoteText(f.body) };
      }
    }
  }
  render();
}

function quoteText(body) {
  const t = typeof body === 'string' ? body : body && (typeof body.text === 'string' ? body.text
    : typeof body.caption === 'string' ? body.caption : null);
  return t === null || t === undefined ? undefined : [...t].slice(0, 100).join('');
}

function reacted(f, live) {
  if (live) setSeq(f.group !== undefined ? 'group.' + f.group : 'inbox', f.seq);
  for (const m of copies(f.mid)) {
    const mine = new Set((m.reactions || []).filter((r) => r.me).map((r) => r.emoji));
    if (f.by === state.uid) {
      if (f.added) mine.add(f.emoji); else mine.delete(f.emoji);
    }
    m.reactions = f.reactions.map((r) => ({ emoji: r.emoji, count: r.count,
      me: f.by === undefined ? r.me === true : mine.has(r.emoji) }));
  }
  render();
}

function onTyping(f) {
  if (f.from === state.uid) return;
  const k = f.group !== undefined ? 'g:' + f.group : 'u:' + f.from;
  if (!state.typing.has(k)) state.typing.set(k, new Map());
  if (f.stop) state.typing.get(k).delete(f.from);
  else {
    state.typing.get(k).set(f.from, Date.now() + f.expiresInMs);
    setTimeout(renderTyping, f.expiresInMs + 50);
  }
  if (!state.names.has(f.from)) nameOf(f.from).then(renderTyping);
  renderTyping();
}

function renderTyping() {
  const k = state.current;
  const typers = k && state.typing.get(k);
  const now = Date.now();
  const who = typers ? [...typers].filter(([, until]) => until > now).map(([uid]) => state.names.get(uid)
    || 'user ' + uid) : [];
  $('typing').textContent = who.length ? who.join(', ') + (who.length > 1 ? ' are' : ' is') + ' typing…' : '';
}

function onPresence(f) {
  const c = state.contacts.find((x) => x.uid === f.uid);
  if (!c) return;
  c.online = f.online;
  if (f.lastSeen !== undefined) c.lastSeen = f.lastSeen;
  renderSide();
}

function recalled(f) {
  const k = f.group !== undefined ? 'g:' + f.group : null;
  for (const c of state.convs.values()) {
    if (k && c.key !== k) continue;
    const m = c.msgs.get(f.mid);
    if (m) {
      m.recalled = true;
      m.body = null;
      m.reactions = undefined;
    }
    for (const r of c.msgs.values()) {
      if (r.reply && r.reply.mid === f.mid) r.reply = { mid: r.reply.mid, from: r.reply.from, type: r.reply.type,
        recalled: true };
    }
  }
  if (f.group !== undefined) setSeq('group.' + f.group, f.seq);
  else setSeq('inbox', f.seq);
  render();
}

function mark(mid, flag) {
  for (const c of state.convs.values()) {
    const m = c.msgs.get(mid);
    if (m) m[flag] = true;
  }
  render();
}

function markReadUpTo(peer, upTo) {
  const c = conv('u:' + peer);
  for (const m of c.msgs.values()) {
    if (m.from === state.uid && m.seq <= upTo) m.read = true;
  }
  render();
}

function groupEvent(e, live) {
  const c = conv('g:' + e.gid);
  const id = 'event:' + e.seq;
  if (live) setSeq('group.' + e.gid, e.seq);
  if (!c.msgs.has(id)) c.msgs.set(id, { event: true, ...e });
  if (live && (e.kind === 'removed' || e.kind === 'left' || e.kind === 'dissolved' || e.kind === 'added'
      || e.kind === 'renamed' || e.kind === 'created')) {
    loadGroups();
  }
  if (state.current === c.key) render();
}

function bumpUnread(k, n) {
  state.unread.set(k, (state.unread.get(k) || 0) + n);
  renderSide();
}

function clearUnread(k) {
  state.unread.set(k, 0);
  state.mentions.set(k, 0);
  renderSide();
}

function markRead(k) {
  const c = conv(k);
  let upTo = 0;
  for (const m of c.msgs.values()) {
    if (!m.event && !m.pending && m.seq > upTo && (k.startsWith('g:') || m.from !== state.uid)) upTo = m.seq;
  }
  clearUnread(k);
  if (upTo > 0) {
    send(k.startsWith('g:') ? { op: 'msg.read', group: Number(k.slice(2)), upTo }
      : { op: 'msg.read', peer: Number(k.slice(2)), upTo });
  }
}

async function loadOlder(k) {
  const c = conv(k);
  const id = Number(k.slice(2));
  let oldest = null;
  for (const m of c.msgs.values()) {
    if (m.event || m.pending) continue;
    const v = k.startsWith('g:') ? m.seq : BigInt(m.mid);
    if (oldest === null || v < oldest) oldest = v;
  }
  const before = oldest === null ? '' : '&before=' + oldest;
  const path = k.startsWith('g:') ? '/api/v1/groups/' + id + '/messages?limit=30' + before
    : '/api/v1/conversations/' + id + '/messages?limit=30' + before;
  const page = await api('GET', path);
  for (const m of page.messages) {
    if (m.op === 'group.event') groupEvent(m, false);
    else if (m.op === 'msg' && !c.msgs.has(m.mid)) c.msgs.set(m.mid, { ...m });
  }
  c.more = page.more;
  c.loaded = true;
}

async function open(k, title) {
  state.current = k;
  setCompose(null);
  $('chat-title').textContent = title;
  $('composer').hidden = false;
  $('group-tools').hidden = !k.startsWith('g:');
  if (k.startsWith('g:')) {
    const g = state.groups.get(Number(k.slice(2)));
    $('notify-level').value = (g && g.notifications) || 'all';
  }
  renderTyping();
  const c = conv(k);
  if (!c.loaded) await loadOlder(k);
  markRead(k);
  render(true);
  $('text').focus();
}

async function sendText(text) {
  const k = state.current;
  if (!k || !text) return;
  const compose = state.compose;
  setCompose(null);
  if (compose && compose.kind === 'edit') {
    const frame = { op: 'msg.edit', mid: compose.m.mid, body: text };
    if (compose.m.group !== undefined) frame.group = compose.m.group;
    try {
      const ok = await request(frame);
      compose.m.body = text;
      compose.m.editedAt = ok.editedAt;
    } catch (e) {
      showError('side-error', e);
    }
    render();
    return;
  }
  const cid = 'w' + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
  const target = Number(k.slice(2));
  const local = { cid, from: state.uid, body: text, type: 'text', ts: Date.now(), pending: true,
    mid: 'pending:' + cid };
  if (k.startsWith('g:')) local.group = target; else local.to = target;
  conv(k).msgs.set(local.mid, local);
  render(true);
  const frame = { op: 'msg.send', cid, type: 'text', body: text };
  if (k.startsWith('g:')) frame.group = target; else frame.to = target;
  if (compose && compose.kind === 'reply') {
    frame.replyTo = compose.m.mid;
    local.reply = { mid: compose.m.mid, from: compose.m.from, type: compose.m.type, text: quoteText(compose.m.body) };
  }
  if (k.startsWith('g:')) {
    const names = [...text.matchAll(/@([A-Za-z0-9_.-]+)/g)].map((x) => x[1].toLowerCase());
    if (names.includes('all')) frame.mentionAll = true;
    const uids = [];
    for (const n of names.filter((x) => x !== 'all')) {
      try { uids.push((await userByName(n)).uid); } catch (e) { /* not a user: plain text */ }
    }
    if (uids.length) frame.mentions = [...new Set(uids)].slice(0, 50);
  }
  send({ op: 'typing', ...(k.startsWith('g:') ? { group: target } : { to: target }), stop: true });
  state.typingSent = 0;
  try {
    const ack = await request(frame);
    const c = conv(k);
    c.msgs.delete(local.mid);
    if (!c.msgs.has(ack.mid)) {
      c.msgs.set(ack.mid, { ...local, pending: false, mid: ack.mid, seq: ack.seq, ts: ack.ts });
    }
    if (!k.startsWith('g:')) setSeq('inbox', ack.seq);
  } catch (e) {
    local.failed = e.message;
  }
  render(true);
}

async function recall(m) {
  const frame = { op: 'msg.recall', mid: m.mid };
  if (m.group !== undefined) frame.group = m.group;
  try {
    await request(frame);
    m.recalled = true;
    m.body = null;
    render();
  } catch (e) {
    showError('side-error', e);
  }
}

/** Puts the composer in a mode ({kind: 'edit' | 'reply', m}) or back to plain sending (null). */
function setCompose(mode) {
  state.compose = mode;
  $('compose-bar').hidden = !mode;
  if (!mode) return;
  const preview = typeof mode.m.body === 'string' ? mode.m.body : quoteText(mode.m.body) || mode.m.type;
  $('compose-note').textContent = (mode.kind === 'edit' ? 'Editing: ' : 'Replying to '
    + (state.names.get(mode.m.from) || 'user ' + mode.m.from) + ': ') + preview;
  if (mode.kind === 'edit') $('text').value = typeof mode.m.body === 'string' ? mode.m.body : '';
  $('text').focus();
}

async function react(m, emoji) {
  const had = (m.reactions || []).some((r) => r.emoji === emoji && r.me);
  const frame = { op: 'msg.react', mid: m.mid, emoji };
  if (had) frame.remove = true;
  if (m.group !== undefined) frame.group = m.group;
  try {
    await request(frame);
    // This session hears no msg.reactions of its own change: apply it here.
    const list = (m.reactions || []).map((r) => ({ ...r }));
    const r = list.find((x) => x.emoji === emoji);
    if (had) {
      r.count -= 1;
      r.me = false;
    } else if (r) {
      r.count += 1;
      r.me = true;
    } else list.push({ emoji, count: 1, me: true });
    m.reactions = list.filter((x) => x.count > 0);
    render();
  } catch (e) {
    showError('side-error', e);
  }
}

/** Signed URLs of a file, asked once per render pass and kept until they expire. */
async function mediaInfo(id) {
  const known = state.media.get(id);
  if (known && known.expiresAt > Date.now() + 10000) return known;
  const info = await api('GET', '/api/v1/media/' + encodeURIComponent(id));
  state.media.set(id, info);
  return info;
}

async function attach(file) {
  const k = state.current;
  if (!k || !file) return;
  const target = k.slice(2);
  const where = (k.startsWith('g:') ? 'group=' : 'to=') + target;
  try {
    const res = await fetch('/api/v1/media?' + where + '&name=' + encodeURIComponent(file.name), { method: 'POST',
      headers: { authorization: 'Bearer ' + state.token, 'content-type': file.type || 'application/octet-stream' },
      body: file });
    const up = await res.json();
    if (!res.ok) throw new Error(up.message || res.statusText);
    state.upload = { up, file, k };
    $('upload-name').textContent = file.name + ' (' + Math.ceil(up.size / 1024) + ' KiB)';
    $('upload-thumb').hidden = !up.thumbnail;
    if (up.thumbnail) $('upload-thumb').src = (await mediaInfo(up.id)).thumbnailUrl;
    $('upload-preview').hidden = false;
  } catch (e) {
    showError('side-error', e);
  }
}

async function sendUpload() {
  const u = state.upload;
  $('upload-preview').hidden = true;
  state.upload = null;
  if (!u) return;
  const target = Number(u.k.slice(2));
  const image = (u.file.type || '').startsWith('image/');
  const body = { media: u.up.id, name: u.file.name };
  if (u.up.w) { body.w = u.up.w; body.h = u.up.h; }
  const frame = { op: 'msg.send', cid: 'f' + Date.now().toString(36), type: image ? 'image' : 'file', body };
  if (u.k.startsWith('g:')) frame.group = target; else frame.to = target;
  try {
    const ack = await request(frame);
    conv(u.k).msgs.set(ack.mid, { ...frame, op: 'msg', from: state.uid, mid: ack.mid, seq: ack.seq, ts: ack.ts });
    render(true);
  } catch (e) {
    showError('side-error', e);
  }
}

async function search(q) {
  const list = $('search-results');
  try {
    const found = await api('GET', '/api/v1/search?limit=20&q=' + encodeURIComponent(q));
    list.replaceChildren(...found.results.map((r) => {
      const li = document.createElement('li');
      li.dataset.testid = 'search-result';
      const where = document.createElement('div');
      where.className = 'where';
      const g = r.group !== undefined ? state.groups.get(r.group) : null;
      const peer = r.group === undefined ? (r.from === state.uid ? r.to : r.from) : null;
      where.textContent = g ? '# ' + g.name : (state.names.get(peer) || 'user ' + peer);
      const text = document.createElement('div');
      text.textContent = typeof r.body === 'string' ? r.body : quoteText(r.body) || r.type;
      li.append(where, text);
      li.onclick = () => open(g ? 'g:' + r.group : 'u:' + peer, where.textContent);
      return li;
    }));
    if (!found.results.length) list.replaceChildren(Object.assign(document.createElement('li'),
      { textContent: 'no messages found' }));
    list.hidden = false;
  } catch (e) {
    showError('side-error', e);
  }
}

// ---------- rendering ----------
function render(scroll) {
  const list = $('message-list');
  const k = state.current;
  if (!k) return;
  const c = conv(k);
  $('older').hidden = !c.more;
  const items = [...c.msgs.values()].sort((a, b) => (a.ts - b.ts) || String(a.mid).localeCompare(String(b.mid)));
  list.replaceChildren(...items.map((m) => item(m, k)));
  if (scroll) $('messages').scrollTop = $('messages').scrollHeight;
}

function item(m, k) {
  const li = document.createElement('li');
  if (m.event) {
    li.className = 'event';
    li.dataset.testid = 'event';
    li.textContent = describeEvent(m);
    const unknown = [m.by, m.member, ...(m.members || [])].filter((u) => u !== undefined && !state.names.has(u));
    if (unknown.length) Promise.all(unknown.map(nameOf)).then(() => render());
    return li;
  }
  const mine = m.from === state.uid;
  li.className = 'msg' + (mine ? ' mine' : '') + (m.recalled ? ' recalled' : '');
  li.dataset.testid = 'message';
  li.dataset.mid = m.mid;
  if (k.startsWith('g:') && !mine) {
    const from = document.createElement('div');
    from.className = 'from';
    from.textContent = state.names.get(m.from) || ('user ' + m.from);
    if (!state.names.has(m.from)) nameOf(m.from).then(() => render());
    li.append(from);
  }
  if (mentionsMe(m)) {
    li.classList.add('mentioned');
    li.dataset.mentioned = 'true';
  }
  if (m.reply && !m.recalled) {
    const q = document.createElement('div');
    q.className = 'quote' + (m.reply.recalled ? ' gone' : '');
    q.dataset.testid = 'quote';
    q.textContent = m.reply.recalled ? 'message recalled'
      : (state.names.get(m.reply.from) || 'user ' + m.reply.from) + ': ' + (m.reply.text || m.reply.type);
    li.append(q);
  }
  const text = document.createElement('div');
  text.className = 'text';
  text.dataset.testid = 'body';
  const media = !m.recalled && m.body && typeof m.body === 'object' && typeof m.body.media === 'string'
    && ['image', 'file', 'voice'].includes(m.type);
  if (media) {
    const id = m.body.media;
    const info = state.media.get(id);
    if (m.type === 'image' && info && info.thumbnailUrl) {
      const img = document.createElement('img');
      img.className = 'thumb';
      img.dataset.testid = 'thumbnail';
      img.alt = m.body.name || 'image';
      img.src = info.thumbnailUrl;
      img.onclick = () => window.open(info.url, '_blank', 'noopener');
      text.append(img);
    } else {
      const a = document.createElement('a');
      a.dataset.testid = 'file';
      a.textContent = '📎 ' + (m.body.name || m.type);
      if (info) { a.href = info.url; a.target = '_blank'; a.rel = 'noopener'; }
      text.append(a);
    }
    if (!info || info.expiresAt < Date.now() + 10000) mediaInfo(id).then(() => render(), () => {});
  } else {
    text.textContent = m.recalled ? 'message recalled' : (typeof m.body === 'string' ? m.body : JSON.stringify(m.body));
  }
  li.append(text);
  if (m.reactions && m.reactions.length && !m.recalled) {
    const chips = document.createElement('div');
    chips.className = 'reactions';
    for (const r of m.reactions) {
      const chip = button(r.emoji + ' ' + r.count, 'reaction', () => react(m, r.emoji), 'reaction' + (r.me ? ' mine' : ''));
      chip.dataset.emoji = r.emoji;
      chip.dataset.count = String(r.count);
      chips.append(chip);
    }
    li.append(chips);
  }
  const meta = document.createElement('div');
  meta.className = 'meta';
  const time = document.createElement('span');
  time.textContent = new Date(m.ts).toLocaleTimeString();
  meta.append(time);
  if (m.editedAt && !m.recalled) {
    const e = document.createElement('span');
    e.className = 'edited';
    e.dataset.testid = 'edited';
    e.textContent = 'edited';
    meta.append(e);
  }
  if (!m.pending && !m.failed && !m.recalled && !String(m.mid).startsWith('pending:')) {
    const actions = document.createElement('span');
    actions.className = 'actions';
    actions.append(button('reply', 'reply', () => setCompose({ kind: 'reply', m }), 'link'));
    for (const emoji of ['👍', '❤️', '😂']) {
      const b = button(emoji, 'react', () => react(m, emoji), 'link');
      b.dataset.emoji = emoji;
      actions.append(b);
    }
    if (mine && typeof m.body === 'string') actions.append(button('edit', 'edit', () => setCompose({ kind: 'edit', m }), 'link'));
    meta.append(actions);
  }
  if (mine && !m.recalled) {
    const tick = document.createElement('span');
    tick.dataset.testid = 'tick';
    if (m.failed) tick.textContent = '⚠ ' + m.failed;
    else if (m.pending) tick.textContent = '…';
    else if (k.startsWith('g:')) tick.textContent = '✓';
    else if (m.read) { tick.textContent = '✓✓ read'; tick.className = 'tick read'; }
    else if (m.delivered) tick.textContent = '✓✓';
    else tick.textContent = '✓';
    meta.append(tick);
    if (!m.pending && !m.failed) {
      meta.append(button('recall', 'recall', () => recall(m), 'link'));
    }
  }
  li.append(meta);
  return li;
}

function describeEvent(e) {
  const who = (uid) => state.names.get(uid) || ('user ' + uid);
  switch (e.kind) {
    case 'created': return who(e.by) + ' created the group';
    case 'added': return who(e.by) + ' added ' + (e.members || []).map(who).join(', ');
    case 'removed': return who(e.by) + ' removed ' + who(e.member);
    case 'left': return who(e.member) + ' left';
    case 'renamed': return 'renamed to ' + e.name;
    case 'dissolved': return 'the group was dissolved';
    default: return e.kind;
  }
}

function renderSide() {
  const contacts = $('contacts');
  contacts.replaceChildren(...state.contacts.map((c) => {
    const li = document.createElement('li');
    const k = 'u:' + c.uid;
    li.dataset.testid = 'contact';
    li.dataset.username = c.username;
    li.className = state.current === k ? 'active' : '';
    const dot = document.createElement('span');
    dot.className = 'dot' + (c.online ? ' on' : '');
    dot.dataset.testid = c.online ? 'online' : 'offline';
    if (!c.online && c.lastSeen) dot.title = 'last seen ' + new Date(c.lastSeen).toLocaleString();
    const name = document.createElement('span');
    name.textContent = c.nickname || c.username;
    li.append(dot, name);
    const n = state.unread.get(k) || 0;
    if (n > 0) {
      const b = document.createElement('span');
      b.className = 'badge';
      b.dataset.testid = 'unread';
      b.textContent = String(n);
      li.append(b);
    }
    li.onclick = () => { open(k, c.nickname || c.username); renderSide(); };
    return li;
  }));
  const requests = $('requests');
  requests.replaceChildren(...state.requests.incoming.map((r) => {
    const li = document.createElement('li');
    li.dataset.testid = 'request';
    li.dataset.username = r.username;
    li.append(document.createTextNode((r.nickname || r.username) + ' wants to connect'));
    li.append(button('Accept', 'accept', () => answer(r.uid, 'accept')),
      button('Reject', 'reject', () => answer(r.uid, 'reject'), 'link'));
    return li;
  }), ...state.requests.outgoing.map((r) => {
    const li = document.createElement('li');
    li.dataset.testid = 'outgoing';
    li.textContent = 'waiting for ' + (r.nickname || r.username);
    return li;
  }));
  const invitations = $('invitations');
  invitations.replaceChildren(...state.invitations.map((inv) => {
    const li = document.createElement('li');
    li.dataset.testid = 'invitation';
    li.dataset.name = inv.name;
    const who = state.names.get(inv.by);
    if (!who) nameOf(inv.by).then(() => renderSide());
    li.append(document.createTextNode((who || 'user ' + inv.by) + ' invites you to # ' + inv.name));
    li.append(button('Join', 'accept-invitation', () => answerInvitation(inv.gid, 'accept')),
      button('Decline', 'decline-invitation', () => answerInvitation(inv.gid, 'decline'), 'link'));
    return li;
  }));
  const groups = $('groups');
  groups.replaceChildren(...[...state.groups.values()].map((g) => {
    const li = document.createElement('li');
    const k = 'g:' + g.gid;
    li.dataset.testid = 'group';
    li.dataset.name = g.name;
    li.className = state.current === k ? 'active' : '';
    const name = document.createElement('span');
    name.textContent = '# ' + g.name;
    li.append(name);
    const at = state.mentions.get(k) || 0;
    if (at > 0) {
      const b = document.createElement('span');
      b.className = 'badge mention';
      b.dataset.testid = 'mention-badge';
      b.textContent = '@' + at;
      li.append(b);
    }
    const n = state.unread.get(k) || 0;
    if (n > 0) {
      const b = document.createElement('span');
      b.className = 'badge';
      b.dataset.testid = 'unread';
      b.textContent = String(n);
      li.append(b);
    }
    li.onclick = () => { open(k, '# ' + g.name); renderSide(); };
    return li;
  }));
}

// ---------- contacts and groups ----------
async function loadContacts() {
  try {
    const [list, requests, conversations] = await Promise.all([api('GET', '/api/v1/contacts'),
      api('GET', '/api/v1/contacts/requests'), api('GET', '/api/v1/conversations?limit=200')]);
    state.contacts = list.contacts;
    for (const c of list.contacts) state.names.set(c.uid, c.nickname || c.username);
    state.requests = requests;
    for (const c of conversations.conversations) {
      const k = 'u:' + c.peer;
      if (state.current !== k) state.unread.set(k, c.unread);
    }
    renderSide();
  } catch (e) {
    showError('side-error', e);
  }
}

async function loadGroups() {
  const mine = await api('GET', '/api/v1/groups');
  state.groups = new Map(mine.groups.map((g) => [g.gid, g]));
  for (const g of mine.groups) {
    const k = 'g:' + g.gid;
    if (state.current !== k) {
      state.unread.set(k, g.unread);
      state.mentions.set(k, g.unreadMentions || 0);
    }
  }
  if (state.current && state.current.startsWith('g:') && !state.groups.has(Number(state.current.slice(2)))) {
    state.current = null;
    $('chat-title').textContent = 'Pick a contact or a group';
    $('composer').hidden = true;
    $('group-tools').hidden = true;
    $('message-list').replaceChildren();
  }
  renderSide();
}

async function loadInvitations() {
  try {
    state.invitations = (await api('GET', '/api/v1/groups/invitations')).invitations;
    renderSide();
  } catch (e) {
    showError('side-error', e);
  }
}

async function answerInvitation(gid, verb) {
  try {
    await api('POST', '/api/v1/groups/invitations/' + gid + '/' + verb);
    await loadInvitations();
    if (verb === 'accept') await loadGroups();
  } catch (e) {
    showError('side-error', e);
  }
}

async function loadPrivacy() {
  try {
    const me = await api('GET', '/api/v1/users/me');
    $('group-add').value = me.groupAdd;
    $('group-add').dataset.saved = me.groupAdd;
  } catch (e) {
    showError('side-error', e);
  }
}

async function answer(uid, verb) {
  try {
    await api('POST', '/api/v1/contacts/requests/' + uid + '/' + verb);
    await loadContacts();
  } catch (e) {
    showError('side-error', e);
  }
}

// ---------- wiring ----------
function start() {
  const s = session();
  if (!s) {
    $('auth').hidden = false;
    $('app').hidden = true;
    return;
  }
  state.token = s.token;
  state.uid = s.uid;
  state.username = s.username;
  state.names.set(s.uid, s.username);
  $('me').textContent = s.username;
  $('auth').hidden = true;
  $('app').hidden = false;
  loadContacts();
  loadGroups().catch((e) => showError('side-error', e));
  loadInvitations();
  loadPrivacy();
  connect();
}

$('auth-form').onsubmit = (e) => { e.preventDefault(); authenticate(false); };
$('register').onclick = () => { if ($('auth-form').reportValidity()) authenticate(true); };
$('logout').onclick = () => logout(true);
$('add-contact').onsubmit = async (e) => {
  e.preventDefault();
  showError('side-error');
  try {
    const u = await userByName($('add-contact-name').value);
    await api('POST', '/api/v1/contacts/requests', { uid: u.uid });
    $('add-contact-name').value = '';
    await loadContacts();
  } catch (err) {
    showError('side-error', err);
  }
};
$('new-group').onsubmit = async (e) => {
  e.preventDefault();
  showError('side-error');
  try {
    const names = $('new-group-members').value.split(',').map((n) => n.trim()).filter(Boolean);
    const members = [];
    for (const n of names) members.push((await userByName(n)).uid);
    const g = await api('POST', '/api/v1/groups', { name: $('new-group-name').value.trim(), members });
    $('new-group-name').value = '';
    $('new-group-members').value = '';
    await loadGroups();
    open('g:' + g.gid, '# ' + g.name);
  } catch (err) {
    showError('side-error', err);
  }
};
$('add-member').onsubmit = async (e) => {
  e.preventDefault();
  try {
    const u = await userByName($('add-member-name').value);
    await api('POST', '/api/v1/groups/' + state.current.slice(2) + '/members', { members: [u.uid] });
    $('add-member-name').value = '';
  } catch (err) {
    showError('side-error', err);
  }
};
$('leave-group').onclick = async () => {
  try {
    await api('DELETE', '/api/v1/groups/' + state.current.slice(2) + '/members/' + state.uid);
    await loadGroups();
  } catch (err) {
    showError('side-error', err);
  }
};
$('group-add').onchange = async () => {
  showError('side-error');
  const value = $('group-add').value;
  try {
    const me = await api('PATCH', '/api/v1/users/me', { groupAdd: value });
    $('group-add').dataset.saved = me.groupAdd;
  } catch (err) {
    showError('side-error', err);
  }
};
$('older').onclick = async () => { await loadOlder(state.current); render(); };
$('compose-cancel').onclick = () => { setCompose(null); $('text').value = ''; };
$('attach').onchange = () => { const f = $('attach').files[0]; $('attach').value = ''; attach(f); };
$('upload-send').onclick = () => sendUpload();
$('upload-cancel').onclick = () => { state.upload = null; $('upload-preview').hidden = true; };
$('search-form').onsubmit = (e) => {
  e.preventDefault();
  const q = $('search').value.trim();
  if (q) search(q); else $('search-results').hidden = true;
};
$('notify-level').onchange = async () => {
  const gid = Number(state.current.slice(2));
  try {
    const r = await api('PUT', '/api/v1/groups/' + gid + '/notifications', { level: $('notify-level').value });
    const g = state.groups.get(gid);
    if (g) g.notifications = r.notifications;
    $('notify-level').dataset.saved = r.notifications;
  } catch (err) {
    showError('side-error', err);
  }
};
// Typing: tell the conversation at most every 3 s while the text changes; an emptied input says stop.
$('text').oninput = () => {
  const k = state.current;
  if (!k || (state.compose && state.compose.kind === 'edit')) return;
  const target = Number(k.slice(2));
  const to = k.startsWith('g:') ? { group: target } : { to: target };
  if (!$('text').value) {
    if (state.typingSent) send({ op: 'typing', ...to, stop: true });
    state.typingSent = 0;
  } else if (Date.now() - state.typingSent > 3000) {
    state.typingSent = Date.now();
    send({ op: 'typing', ...to });
  }
};
$('composer').onsubmit = (e) => {
  e.preventDefault();
  const text = $('text').value.trim();
  $('text').value = '';
  sendText(text);
};
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && state.current) markRead(state.current);
});
// Contacts' online dots follow presence frames; a reconnect reloads the list (auth.ok → loadContacts below).
start();
