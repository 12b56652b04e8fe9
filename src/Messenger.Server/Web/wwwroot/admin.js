// The operator dashboard: polls /admin/api/overview every second, draws the message rate, and posts actions with
// the session's CSRF token (the cookie alone is never enough). Everything shown is textContent.
const $ = id => document.getElementById(id);
let csrf = null;
const rates = [];
let last = null;
let shownLists = '';

async function api(path, body) {
  const response = await fetch(`/admin/api/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf ?? '' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error ?? `${response.status} ${response.statusText}`);
  return data;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function bytes(count) {
  if (count < 1024) return `${count} B`;
  if (count < 1024 * 1024) return `${(count / 1024).toFixed(1)} KiB`;
  return `${(count / (1024 * 1024)).toFixed(1)} MiB`;
}

function row(label, detail, actionLabel, action) {
  const item = el('li');
  const text = el('span');
  text.append(el('b', '', label), el('span', 'muted', detail ? `  ${detail}` : ''));
  item.append(text);
  const button = el('button', '', actionLabel);
  button.type = 'button';
  button.addEventListener('click', action);
  item.append(button);
  return item;
}

async function act(path, body) {
  try {
    $('admin-result').textContent = (await api(path, body)).message;
  } catch (error) {
    $('admin-result').textContent = error.message;
  }
  await refresh();
}

async function refresh() {
  let overview;
  try {
    overview = await api('overview');
  } catch {
    return;
  }
  if (last) rates.push(Math.max(0, (overview.messagesRouted - last.messagesRouted) * 1000 / Math.max(1, overview.serverTimeUnixMs - last.serverTimeUnixMs)));
  last = overview;
  if (rates.length > 120) rates.shift();
  $('fig-connections').textContent = String(overview.connections);
  $('fig-online').textContent = String(overview.online.length);
  $('fig-rate').textContent = (rates.at(-1) ?? 0).toFixed(1);
  $('fig-stored').textContent = String(overview.messagesStored);
  $('fig-commit').textContent = overview.storeCommitMs.toFixed(2);
  $('fig-slow').textContent = String(overview.slowConsumers);
  $('fig-queued').textContent = bytes(overview.queuedBytes);
  $('fig-deepest').textContent = bytes(overview.deepestQueueBytes);
  $('fig-deepest-label').textContent = overview.deepestQueueUser ? `deepest queue (${overview.deepestQueueUser})` : 'deepest queue';
  // Rebuild the lists only when they changed: a row replaced under the pointer loses the operator's click.
  const lists = JSON.stringify([overview.online, overview.marks, overview.rooms]);
  if (lists !== shownLists) {
    shownLists = lists;
    $('users').replaceChildren(...overview.online.map(user => row(user, overview.marks[user] ?? '', 'Kick', () => act('kick', { user }))));
    if (overview.online.length === 0) $('users').replaceChildren(el('li', 'muted', 'Nobody is online.'));
    $('rooms').replaceChildren(...overview.rooms.map(room =>
      row(room.name, `${room.members} ${room.members === 1 ? 'member' : 'members'} · ${room.isPrivate ? 'private' : 'public'} · owner ${room.owner ?? 'none'}`, 'Remove', () => act('remove-room', { room: room.name }))));
    if (overview.rooms.length === 0) $('rooms').replaceChildren(el('li', 'muted', 'No rooms.'));
  }
  draw();
}

function draw() {
  const canvas = $('chart');
  const context = canvas.getContext('2d');
  const { width, height } = canvas;
  context.clearRect(0, 0, width, height);
  context.strokeStyle = '#e3e6eb';
  for (let y = 0; y <= 4; y++) { context.beginPath(); context.moveTo(0, (y * height) / 4); context.lineTo(width, (y * height) / 4); context.stroke(); }
  const top = Math.max(1, ...rates) * 1.2;
  context.strokeStyle = '#2f6fde';
  context.lineWidth = 2;
  context.beginPath();
  rates.forEach((rate, i) => {
    const x = width - (rates.length - 1 - i) * (width / 119);
    const y = height - (rate / top) * height;
    if (i === 0) context.moveTo(x, y); else context.lineTo(x, y);
  });
  context.stroke();
  context.fillStyle = '#6b7686';
  context.fillText(`${top.toFixed(1)}/s`, 4, 12);
}

function show(user) {
  $('admin-name').textContent = user;
  $('admin-login').hidden = true;
  $('dashboard').hidden = false;
  refresh();
  setInterval(refresh, 1000);
}

$('admin-login-form').addEventListener('submit', async event => {
  event.preventDefault();
  $('admin-error').textContent = '';
  try {
    const session = await api('login', { user: $('admin-user').value.trim(), password: $('admin-password').value });
    csrf = session.csrf;
    show(session.user);
  } catch (error) {
    $('admin-error').textContent = error.message;
  }
});
$('broadcast-form').addEventListener('submit', event => { event.preventDefault(); act('broadcast', { text: $('broadcast-text').value }); $('broadcast-text').value = ''; });
$('send-form').addEventListener('submit', event => { event.preventDefault(); act('send', { user: $('send-user').value.trim(), text: $('send-text').value }); $('send-text').value = ''; });
$('admin-logout').addEventListener('click', async () => { await act('logout', {}); location.reload(); });

api('session').then(session => { if (session.user) { csrf = session.csrf; show(session.user); } }, () => {});
