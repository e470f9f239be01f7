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
      after = Math.max(after, m.seq);
    }
    setSeq('inbox', after);
    if (!page.more) break;
  }
  if (after > 0) send({ op: 'msg.recv', upTo: after });
}

async function syncGroups(heads) {
  const ask = {};
  for (const [gid, head] of Object.entries(heads)) {
    const name = 'group.' + gid;
    if (store.getItem(key(name)) === null) store.setItem(key(name), String(head));
    else if (seqOf(name) < head) ask[gid] = seqOf(name);
  }
  await loadGroups();
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
      }
      if (page.more) ask[gid] = page.msgs[page.msgs.length - 1].seq;
    }
  }
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
  if (m.from !== state.uid) {
    if (state.current === k && document.visibilityState !== 'hidden') markRead(k);
    else bumpUnread(k, 1);
  }
  if (state.current === k) render();
}

function recalled(f) {
  const k = f.group !== undefined ? 'g:' + f.group : null;
  for (const c of state.convs.values()) {
    if (k && c.key !== k) continue;
    const m = c.msgs.get(f.mid);
    if (m) {
      m.recalled = true;
      m.body = null;
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
  $('chat-title').textContent = title;
  $('composer').hidden = false;
  $('group-tools').hidden = !k.startsWith('g:');
  const c = conv(k);
  if (!c.loaded) await loadOlder(k);
  markRead(k);
  render(true);
  $('text').focus();
}

async function sendText(text) {
  const k = state.current;
  if (!k || !text) return;
  const cid = 'w' + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
  const target = Number(k.slice(2));
  const local = { cid, from: state.uid, body: text, type: 'text', ts: Date.now(), pending: true,
    mid: 'pending:' + cid };
  if (k.startsWith('g:')) local.group = target; else local.to = target;
  conv(k).msgs.set(local.mid, local);
  render(true);
  const frame = { op: 'msg.send', cid, type: 'text', body: text };
  if (k.startsWith('g:')) frame.group = target; else frame.to = target;
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
  const text = document.createElement('div');
  text.className = 'text';
  text.dataset.testid = 'body';
  text.textContent = m.recalled ? 'message recalled' : (typeof m.body === 'string' ? m.body : JSON.stringify(m.body));
  li.append(text);
  const meta = document.createElement('div');
  meta.className = 'meta';
  const time = document.createElement('span');
  time.textContent = new Date(m.ts).toLocaleTimeString();
  meta.append(time);
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
    if (state.current !== k) state.unread.set(k, g.unread);
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
$('composer').onsubmit = (e) => {
  e.preventDefault();
  const text = $('text').value.trim();
  $('text').value = '';
  sendText(text);
};
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && state.current) markRead(state.current);
});
// Online status of contacts changes without an event: refresh it now and then.
setInterval(() => { if (state.token && state.online) loadContacts(); }, 5000);
start();
