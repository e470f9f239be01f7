// Drives the web client in headless Chromium (Debian's /usr/bin/chromium) with playwright-core:
// two browser contexts register, become contacts, chat both ways (typing, an edit, a reaction, a reply), a group
// with a third user is created over the API, the two exchange group messages (a mention, an image with its
// thumbnail), one searches, one message is recalled, one user lets nobody add her to groups and accepts an
// invitation, both pages refresh their short-lived tokens on the open connection when warned, a page reloads and
// finds its history, and a user who was away finds what was sent meanwhile. Exits 0 when every step held; screenshots
// go to the given folder.
//
//   node chat.test.mjs http://127.0.0.1:8080 ./screenshots
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const base = process.argv[2] || 'http://127.0.0.1:8080';
const shots = process.argv[3] || 'screenshots';
const TIMEOUT = 15000;
mkdirSync(shots, { recursive: true });

const run = Date.now().toString(36);
const alice = 'alice' + run;
const bob = 'bob' + run;
const carol = 'carol' + run;
const password = 'password-' + run;

let step = 0;
async function shot(page, name) {
  step += 1;
  await page.screenshot({ path: `${shots}/${String(step).padStart(2, '0')}-${name}.png`, fullPage: true });
}

async function http(method, path, body, token) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = 'Bearer ' + token;
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function register(page, username) {
  await page.goto(base + '/');
  await page.getByTestId('username').fill(username);
  await page.getByTestId('password').fill(password);
  await page.getByTestId('register').click();
  await page.getByTestId('me').filter({ hasText: username }).waitFor();
  await page.getByTestId('status').filter({ hasText: 'online' }).waitFor();
}

/** The message whose own text (not a quote of another) contains {@code text}. */
function message(page, text) {
  return page.getByTestId('message').filter({ has: page.getByTestId('body').filter({ hasText: text }) });
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
let failed = false;
const contexts = [];
try {
  const a = await (contexts[0] = await browser.newContext()).newPage();
  const b = await (contexts[1] = await browser.newContext()).newPage();
  for (const p of [a, b]) {
    p.setDefaultTimeout(TIMEOUT);
    p.on('pageerror', (e) => { console.error('page error:', e.message); failed = true; });
    // The API serves a strict Content-Security-Policy: anything it blocks is a failure, not a silent degradation.
    p.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) {
        console.error('csp violation:', m.text());
        failed = true;
      }
    });
  }

  // Register in the UI; carol over the API.
  await register(a, alice);
  await register(b, bob);
  await http('POST', '/api/v1/users', { username: carol, password });
  const carolSession = await http('POST', '/api/v1/sessions', { username: carol, password, device: 'web' });
  await shot(a, 'alice-registered');
  const tokenOf = (p) => p.evaluate(() => JSON.parse(localStorage.getItem('sb.session')).token);
  const firstTokens = [await tokenOf(a), await tokenOf(b)];

  // Alice asks Bob; Bob accepts; both see each other online.
  await a.getByTestId('add-contact-name').fill(bob);
  await a.getByTestId('add-contact').click();
  await a.getByTestId('outgoing').filter({ hasText: bob }).waitFor();
  const request = b.getByTestId('request').filter({ hasText: alice });
  await request.waitFor();
  await shot(b, 'bob-sees-request');
  await request.getByTestId('accept').click();
  await a.locator(`[data-testid=contact][data-username=${bob}] [data-testid=online]`).waitFor();
  await b.locator(`[data-testid=contact][data-username=${alice}] [data-testid=online]`).waitFor();
  await shot(a, 'contacts-online');

  // One-to-one both ways, with unread badge and read ticks.
  await a.locator(`[data-testid=contact][data-username=${bob}]`).click();
  await a.getByTestId('text').fill('hello bob');
  await a.getByTestId('send').click();
  await message(a, 'hello bob').getByTestId('tick').filter({ hasText: '✓' }).waitFor();
  await b.locator(`[data-testid=contact][data-username=${alice}] [data-testid=unread]`).filter({ hasText: '1' })
    .waitFor();
  await shot(b, 'bob-unread-badge');
  await b.locator(`[data-testid=contact][data-username=${alice}]`).click();
  await message(b, 'hello bob').waitFor();
  await message(a, 'hello bob').getByTestId('tick').filter({ hasText: 'read' }).waitFor();
  await b.getByTestId('text').fill('hi alice');
  await b.getByTestId('send').click();
  await message(a, 'hi alice').waitFor();
  await shot(a, 'one-to-one');

  // Typing: Alice sees Bob typing, and the line goes when his message arrives.
  await b.getByTestId('text').fill('typing a reply');
  await a.getByTestId('typing').filter({ hasText: 'typing' }).waitFor();
  await shot(a, 'typing');
  await b.getByTestId('send').click();
  await message(a, 'typing a reply').waitFor();
  await a.getByTestId('typing').filter({ hasText: /^$/ }).waitFor();

  // Edit: Alice corrects her first message; Bob sees the new text, marked edited.
  await message(a, 'hello bob').getByTestId('edit').click();
  await a.getByTestId('text').fill('hello bob, edited');
  await a.getByTestId('send').click();
  await message(b, 'hello bob, edited').getByTestId('edited').waitFor();
  await shot(b, 'edited');

  // A reaction from Bob, seen by Alice; a reply from Bob quoting her message.
  await message(b, 'hello bob, edited').locator('[data-testid=react][data-emoji="👍"]').click();
  await message(a, 'hello bob, edited').locator('[data-testid=reaction][data-emoji="👍"][data-count="1"]').waitFor();
  await shot(a, 'reaction');
  await message(b, 'hello bob, edited').getByTestId('reply').click();
  await b.getByTestId('compose-note').filter({ hasText: 'Replying to' }).waitFor();
  await b.getByTestId('text').fill('a reply to that');
  await b.getByTestId('send').click();
  await message(a, 'a reply to that').getByTestId('quote').filter({ hasText: 'hello bob, edited' }).waitFor();
  await shot(a, 'reply');

  // A group with a third user, made over the API; group messages both ways.
  const g = await http('POST', '/api/v1/groups', { name: 'team' + run, members: [
    (await http('GET', `/api/v1/users?q=${alice}`, undefined, carolSession.token)).users[0].uid,
    (await http('GET', `/api/v1/users?q=${bob}`, undefined, carolSession.token)).users[0].uid,
  ] }, carolSession.token);
  for (const p of [a, b]) {
    await p.locator(`[data-testid=group][data-name=team${run}]`).click();
    await p.getByTestId('chat-title').filter({ hasText: 'team' + run }).waitFor();
  }
  await a.getByTestId('text').fill('group hello from alice');
  await a.getByTestId('send').click();
  await message(b, 'group hello from alice').waitFor();
  await b.getByTestId('text').fill('group hello from bob');
  await b.getByTestId('send').click();
  await message(a, 'group hello from bob').waitFor();
  await shot(a, 'group-chat');

  // A mention: Bob looks at his chat with Alice; Alice mentions him in the group; Bob gets an @ badge, and the message
  // is highlighted for him.
  await b.locator(`[data-testid=contact][data-username=${alice}]`).click();
  await a.getByTestId('text').fill(`@${bob} please look`);
  await a.getByTestId('send').click();
  await b.locator(`[data-testid=group][data-name=team${run}] [data-testid=mention-badge]`).filter({ hasText: '@1' })
    .waitFor();
  await shot(b, 'mention-badge');
  await b.locator(`[data-testid=group][data-name=team${run}]`).click();
  await message(b, 'please look').and(b.locator('[data-mentioned=true]')).waitFor();
  await shot(b, 'mention');

  // An image: Alice attaches a PNG drawn in the page; the preview shows the server's thumbnail; Bob sees it.
  const png = await a.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 400;
    c.height = 240;
    const g = c.getContext('2d');
    g.fillStyle = '#2d6cdf';
    g.fillRect(0, 0, 400, 240);
    g.fillStyle = '#fff';
    g.font = '48px sans-serif';
    g.fillText('switchboard', 60, 135);
    return c.toDataURL('image/png').split(',')[1];
  });
  await a.getByTestId('attach').setInputFiles({ name: 'board.png', mimeType: 'image/png',
    buffer: Buffer.from(png, 'base64') });
  await a.getByTestId('upload-preview').waitFor();
  await a.waitForFunction(() => document.querySelector('[data-testid=upload-thumb]').naturalWidth > 0);
  await shot(a, 'upload-preview');
  await a.getByTestId('upload-send').click();
  const thumb = b.getByTestId('thumbnail').last();
  await thumb.waitFor();
  await b.waitForFunction(() => [...document.querySelectorAll('[data-testid=thumbnail]')]
    .some((i) => i.complete && i.naturalWidth > 0));
  await shot(b, 'image');

  // Search: Alice finds Bob's reply and opens the conversation from the result.
  await a.getByTestId('search').fill('reply');
  await a.getByTestId('search-go').click();
  const hit = a.getByTestId('search-result').filter({ hasText: 'a reply to that' });
  await hit.waitFor();
  await shot(a, 'search');
  await hit.click();
  await a.getByTestId('chat-title').filter({ hasText: bob }).waitFor();
  await message(a, 'a reply to that').waitFor();
  await a.locator(`[data-testid=group][data-name=team${run}]`).click();

  // Recall: Alice recalls her group message; Bob sees it go.
  await message(a, 'group hello from alice').getByTestId('recall').click();
  await b.getByTestId('message').filter({ hasText: 'message recalled' }).waitFor();
  if (await message(b, 'group hello from alice').count() !== 0) throw new Error('recalled text still shown');
  await shot(b, 'recalled');

  // Privacy: Alice lets nobody add her directly; Carol's new group becomes an invitation she accepts live.
  await a.getByTestId('group-add').selectOption('nobody');
  await a.locator('[data-testid=group-add][data-saved=nobody]').waitFor();
  const invite = await http('POST', '/api/v1/groups', { name: 'invite' + run, members: [
    (await http('GET', `/api/v1/users?q=${alice}`, undefined, carolSession.token)).users[0].uid,
  ] }, carolSession.token);
  if (invite.invited.length !== 1) throw new Error('expected an invitation: ' + JSON.stringify(invite));
  const invitation = a.locator(`[data-testid=invitation][data-name=invite${run}]`);
  await invitation.waitFor();
  if (await a.locator(`[data-testid=group][data-name=invite${run}]`).count() !== 0) {
    throw new Error('joined before accepting');
  }
  await shot(a, 'invitation');
  await invitation.getByTestId('accept-invitation').click();
  await a.locator(`[data-testid=group][data-name=invite${run}]`).click();
  await a.getByTestId('event').filter({ hasText: 'added' }).waitFor();
  if (await invitation.count() !== 0) throw new Error('the accepted invitation is still listed');
  await shot(a, 'invitation-accepted');

  // Tokens live 70 s in this test (WebClientIT): a minute before expiry each page is warned (token.expiring),
  // refreshes its token and moves its open connection to it (auth.refresh); what follows runs on refreshed tokens.
  for (const [p, first] of [[a, firstTokens[0]], [b, firstTokens[1]]]) {
    await p.waitForFunction((t) => JSON.parse(localStorage.getItem('sb.session')).token !== t, first);
    await p.getByTestId('status').filter({ hasText: 'online' }).waitFor();
  }

  // Reload: history comes back from the server.
  await b.reload();
  await b.getByTestId('status').filter({ hasText: 'online' }).waitFor();
  await b.locator(`[data-testid=contact][data-username=${alice}]`).click();
  await message(b, 'hello bob').waitFor();
  await message(b, 'hi alice').waitFor();
  await b.locator(`[data-testid=group][data-name=team${run}]`).click();
  await message(b, 'group hello from bob').waitFor();
  await b.getByTestId('message').filter({ hasText: 'message recalled' }).waitFor();
  await shot(b, 'history-after-reload');

  // Bob goes away; Alice writes; Bob comes back and finds it, with an unread badge.
  await b.close();
  await a.locator(`[data-testid=contact][data-username=${bob}] [data-testid=offline]`).waitFor();
  await a.locator(`[data-testid=contact][data-username=${bob}]`).click();
  for (const text of ['while you were away 1', 'while you were away 2']) {
    await a.getByTestId('text').fill(text);
    await a.getByTestId('send').click();
    await message(a, text).getByTestId('tick').filter({ hasText: '✓' }).waitFor();
  }
  const back = await contexts[1].newPage();
  back.setDefaultTimeout(TIMEOUT);
  await back.goto(base + '/');
  await back.locator(`[data-testid=contact][data-username=${alice}] [data-testid=unread]`).filter({ hasText: '2' })
    .waitFor();
  await back.locator(`[data-testid=contact][data-username=${alice}]`).click();
  await message(back, 'while you were away 2').waitFor();
  await shot(back, 'caught-up');
  console.log('web client: every step passed; group', g.gid);
} catch (e) {
  failed = true;
  console.error('web client test failed:', e);
  for (const [i, c] of contexts.entries()) {
    for (const p of c ? c.pages() : []) {
      await p.screenshot({ path: `${shots}/failure-context${i}.png`, fullPage: true }).catch(() => {});
    }
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
