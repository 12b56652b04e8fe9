// The browser chat's page: state per conversation, rendering (always textContent, never HTML from a message) and the
// user's actions, on top of ChatConnection (the protocol) and the DOM of index.html.
import { Type } from './frames.js';
import { ChatConnection } from './connection.js';

const $ = id => document.getElementById(id);
const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
const chat = new ChatConnection(wsUrl);
const conversations = new Map(); // key: '#room' (lower case) or user name
const online = new Set();
let current = null;

const keyOf = name => (name.startsWith('#') ? name.toLowerCase() : name);
const time = ms => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
const fullTime = ms => new Date(ms).toLocaleString();

function conversation(name) {
  const key = keyOf(name);
  if (!conversations.has(key)) {
    conversations.set(key, { name, isRoom: name.startsWith('#'), messages: [], unread: 0, topic: '', historyCount: 0, seen: new Set() });
  }
  return conversations.get(key);
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text; // text is always text: a <script> in a message is shown, never run
  return node;
}

function addMessage(name, message, { older = false } = {}) {
  const conv = conversation(name);
  const identity = `${message.from}\u0000${message.sentAtUnixMs}\u0000${message.text}`;
  if (conv.seen.has(identity) || isMyEcho(conv, message)) return;
  conv.seen.add(identity);
  if (older) conv.messages.unshift(message); else conv.messages.push(message);
  const mine = message.from === chat.user;
  if (!older && !mine && (current !== conv || document.hidden)) {
    if (current !== conv) conv.unread++;
    notify(conv, message);
  }
  renderSidebar();
  if (current === conv) renderMessages();
}

/** My own message coming back (a room's event, or history): the copy shown from the outbox takes the server's time. */
function isMyEcho(conv, message) {
  if (message.from !== chat.user || message.pending) return false;
  const mine = conv.messages.find(m => m.from === chat.user && !m.echoed && (message.messageId !== undefined
    ? m.messageId === message.messageId
    : m.text === message.text && Math.abs(m.sentAtUnixMs - message.sentAtUnixMs) < 10000));
  if (!mine) return false;
  mine.echoed = true;
  mine.sentAtUnixMs = message.sentAtUnixMs;
  if (current === conv) renderMessages();
  return true;
}

function notify(conv, message) {
  if (!$('notify-toggle').checked || !document.hidden || !('Notification' in window) || Notification.permission !== 'granted') return;
  new Notification(conv.isRoom ? `${message.from} in ${conv.name}` : message.from, { body: message.text.slice(0, 200) });
}

function renderMessages() {
  const list = $('message-list');
  list.replaceChildren();
  let lastDay = '';
  for (const m of current.messages) {
    const day = new Date(m.sentAtUnixMs).toDateString();
    if (day !== lastDay) { list.append(el('li', 'day', day)); lastDay = day; }
    const item = el('li', `msg${m.from === chat.user ? ' mine' : ''}${m.pending ? ' pending' : ''}${m.system ? ' system' : ''}`);
    const head = el('div', 'msg-head');
    head.append(el('span', 'from', m.from));
    const stamp = el('time', 'time', time(m.sentAtUnixMs));
    stamp.title = fullTime(m.sentAtUnixMs);
    head.append(stamp);
    if (m.pending) head.append(el('span', 'state', 'sending…'));
    if (m.outcome === 'Stored') head.append(el('span', 'state', 'stored for later'));
    item.append(head, el('div', 'text', m.text));
    list.append(item);
  }
  $('older').hidden = !current.isRoom && current.name === 'server';
  const box = $('messages');
  box.scrollTop = box.scrollHeight;
}

function renderSidebar() {
  const rooms = [...conversations.values()].filter(c => c.isRoom);
  const directs = [...conversations.values()].filter(c => !c.isRoom);
  fillList($('room-list'), rooms, c => c.name);
  fillList($('direct-list'), directs, c => c.name, c => online.has(c.name));
  const people = [...online].sort();
  $('online-count').textContent = String(people.length);
  $('online-list').replaceChildren(...people.map(user => {
    const item = el('li', 'person');
    item.append(el('span', 'dot on'), el('span', 'name', user));
    item.addEventListener('click', () => open(user));
    return item;
  }));
}

function fillList(list, items, label, isOnline) {
  list.replaceChildren(...items.map(conv => {
    const item = el('li', conv === current ? 'active' : '');
    if (isOnline) item.append(el('span', `dot${isOnline(conv) ? ' on' : ''}`));
    item.append(el('span', 'name', label(conv)));
    if (conv.unread > 0) item.append(el('span', 'unread', String(conv.unread)));
    item.addEventListener('click', () => open(conv.name));
    return item;
  }));
}

async function open(name) {
  current = conversation(name);
  current.unread = 0;
  $('conv-title').textContent = current.name;
  $('conv-sub').textContent = current.isRoom ? (current.topic || 'No topic') : (online.has(name) ? 'online' : 'offline');
  $('members-button').hidden = !current.isRoom;
  $('leave-button').hidden = !current.isRoom;
  $('block-button').hidden = current.isRoom;
  $('block-button').textContent = current.blocked ? 'Unblock' : 'Block';
  $('p2p-note').hidden = current.isRoom;
  $('members').hidden = true;
  $('composer-text').disabled = false;
  $('send').disabled = false;
  renderSidebar();
  renderMessages();
  $('composer-text').focus();
  if (current.historyCount === 0) await loadHistory(current, 50);
  if (current.isRoom) await loadTopic(current);
}

async function loadHistory(conv, count) {
  conv.historyCount = Math.min(count, 500);
  const reply = await chat.request(Type.History, { target: conv.name, count: conv.historyCount }).catch(() => null);
  if (reply?.type !== Type.HistoryPage) return;
  for (const entry of [...reply.payload.entries].reverse()) addMessage(conv.name, entry, { older: true });
  conv.messages.sort((a, b) => a.sentAtUnixMs - b.sentAtUnixMs);
  if (current === conv) renderMessages();
}

async function loadTopic(conv) {
  const reply = await chat.request(Type.RoomSettings, { room: conv.name }).catch(() => null);
  if (reply?.type === Type.Response && reply.payload.status === 'Ok') {
    conv.topic = reply.payload.message;
    if (current === conv) $('conv-sub').textContent = conv.topic;
  }
}

function banner(text) { $('banner').textContent = text; }

function setStatus(text, ok) {
  $('status').textContent = text;
  $('status').className = `status ${ok ? 'ok' : 'warn'}`;
}

async function refreshRooms() {
  const reply = await chat.request(Type.ListRooms, {}).catch(() => null);
  if (reply?.type !== Type.RoomList) return [];
  for (const room of reply.payload.rooms.filter(r => r.isMember)) conversation(room.name).topic = room.topic;
  renderSidebar();
  return reply.payload.rooms;
}

async function refreshOnline() {
  const reply = await chat.request(Type.WhoElse, {}).catch(() => null);
  if (reply?.type !== Type.UserList) return;
  online.clear();
  for (const user of reply.payload.users) online.add(user);
  renderSidebar();
}

chat.addEventListener('online', async event => {
  setStatus(event.detail.resumed ? 'online (resumed)' : 'online', true);
  banner('');
  await refreshOnline();
  await refreshRooms();
});
chat.addEventListener('offline', () => setStatus(`reconnecting… (${chat.outboxSize} waiting)`, false));
chat.addEventListener('direct', ({ detail: m }) => {
  addMessage(m.isBroadcast ? 'broadcast' : m.from, m);
});
chat.addEventListener('room', ({ detail: m }) => addMessage(m.room, m));
chat.addEventListener('outbox', ({ detail: entry }) => {
  addMessage(entry.target, { from: chat.user, text: entry.text, sentAtUnixMs: entry.sentAt, pending: true, messageId: entry.messageId });
});
chat.addEventListener('sent', ({ detail }) => {
  const conv = conversation(detail.entry.target);
  const message = conv.messages.find(m => m.messageId === detail.entry.messageId && m.pending);
  if (message) {
    message.pending = false;
    message.outcome = detail.reply.outcome;
    if (!detail.ok) { message.system = true; message.text += `\n(not sent: ${detail.reply.message})`; }
  }
  if (current === conv) renderMessages();
});
chat.addEventListener('presence', ({ detail }) => {
  if (detail.kind === 'LoggedIn') online.add(detail.user); else online.delete(detail.user);
  renderSidebar();
  if (current && !current.isRoom && current.name === detail.user) $('conv-sub').textContent = online.has(detail.user) ? 'online' : 'offline';
});
chat.addEventListener('notice', ({ detail }) => addMessage('server', { from: 'server', text: detail.text, sentAtUnixMs: Date.now(), system: true }));
chat.addEventListener('roomnotice', ({ detail }) => {
  addMessage(detail.room, { from: '—', text: detail.text, sentAtUnixMs: Date.now(), system: true });
  // A notice may be a topic change: the open room's header shows the topic as the server now has it.
  if (current?.name === detail.room) loadTopic(current);
});
chat.addEventListener('problem', ({ detail }) => banner(detail.message));
chat.addEventListener('ended', ({ detail }) => {
  setStatus(detail.reason === 'shutdown' ? 'server restarting…' : 'signed out', false);
  banner(detail.message);
});

$('login-form').addEventListener('submit', async event => {
  event.preventDefault();
  $('login-error').textContent = '';
  $('login-submit').disabled = true;
  try {
    const accepted = await chat.login($('login-user').value.trim(), $('login-password').value);
    $('login-password').value = '';
    $('me-name').textContent = accepted.username;
    $('login-view').hidden = true;
    $('chat-view').hidden = false;
    if (accepted.welcome) banner(accepted.welcome);
  } catch (error) {
    $('login-error').textContent = error.message;
  } finally {
    $('login-submit').disabled = false;
  }
});

$('composer').addEventListener('submit', event => {
  event.preventDefault();
  const text = $('composer-text').value;
  if (!current || text.trim() === '') return;
  chat.sendMessage(current.name, text);
  $('composer-text').value = '';
});
$('composer-text').addEventListener('keydown', event => {
  if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); $('composer').requestSubmit(); }
});

$('join-form').addEventListener('submit', async event => {
  event.preventDefault();
  let room = $('join-room').value.trim();
  if (!room) return;
  if (!room.startsWith('#')) room = `#${room}`;
  const reply = await chat.request(Type.JoinRoom, { room }).catch(error => ({ payload: { message: error.message } }));
  if (reply.payload.status === 'Ok' || reply.payload.reason === 'already_member') {
    $('join-room').value = '';
    await open(room);
  } else {
    banner(reply.payload.message);
  }
});

$('browse-rooms').addEventListener('click', async () => {
  const rooms = await refreshRooms();
  $('room-browser').replaceChildren(...rooms.filter(r => !r.isMember).map(room => {
    const item = el('li', 'browse');
    item.append(el('span', 'name', room.name), el('span', 'muted', ` ${room.members} members ${room.topic}`));
    item.addEventListener('click', () => { $('join-room').value = room.name; $('join-form').requestSubmit(); item.remove(); });
    return item;
  }));
  if (rooms.every(r => r.isMember)) $('room-browser').replaceChildren(el('li', 'muted', 'No other rooms.'));
});

$('dm-form').addEventListener('submit', async event => {
  event.preventDefault();
  const user = $('dm-user').value.trim();
  if (user) { $('dm-user').value = ''; await open(user); }
});

$('leave-button').addEventListener('click', async () => {
  const conv = current;
  const reply = await chat.request(Type.LeaveRoom, { room: conv.name }).catch(error => ({ payload: { message: error.message } }));
  banner(reply.payload.message);
  if (reply.payload.status === 'Ok') { conversations.delete(keyOf(conv.name)); current = null; renderSidebar(); $('message-list').replaceChildren(); }
});

$('members-button').addEventListener('click', async () => {
  const reply = await chat.request(Type.RoomMembers, { room: current.name }).catch(() => null);
  if (reply?.type !== Type.RoomMemberList) { banner(reply?.payload.message ?? 'Not connected.'); return; }
  $('members').replaceChildren(...reply.payload.members.map(m => {
    const item = el('li', 'person');
    item.append(el('span', `dot${m.online ? ' on' : ''}`), el('span', 'name', m.user + (m.isOwner ? ' (owner)' : '')));
    return item;
  }));
  $('members').hidden = !$('members').hidden;
});

$('block-button').addEventListener('click', async () => {
  const conv = current;
  const reply = await chat.request(conv.blocked ? Type.Unblock : Type.Block, { user: conv.name }).catch(error => ({ payload: { message: error.message } }));
  banner(reply.payload.message);
  if (reply.payload.status === 'Ok') { conv.blocked = !conv.blocked; $('block-button').textContent = conv.blocked ? 'Unblock' : 'Block'; }
});

$('older').addEventListener('click', () => current && loadHistory(current, current.historyCount + 50));

$('notify-toggle').addEventListener('change', async event => {
  if (event.target.checked && 'Notification' in window && Notification.permission === 'default') {
    event.target.checked = (await Notification.requestPermission()) === 'granted';
  }
});

$('logout').addEventListener('click', () => { chat.logout(); location.reload(); });
document.addEventListener('visibilitychange', () => { if (!document.hidden && current) { current.unread = 0; renderSidebar(); } });
