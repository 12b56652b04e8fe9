// One chat session over the WebSocket, with the terminal client's guarantees: requests matched to replies by id; a
// dropped connection is resumed (resume token, else the password again); messages wait in an outbox until the server
// answers them and are resent with the same messageId (the server answers a repeat with the first outcome); incoming
// messages are acknowledged once shown and a repeat of (from, messageId) or (room, position) is dropped.
import { Type, encodeFrame, FrameDecoder } from './frames.js';


export class ChatConnection extends EventTarget {
  #url; #socket = null; #decoder = null; #nextRequest = 1; #pending = new Map();
  #credentials = null; #resumeToken = null; #outbox = new Map(); #nextMessageId = Date.now() * 1000;
  #seenDirect = new Set(); #roomPositions = new Map(); #retry = 0; #ended = false; #online = false;

  constructor(url) { super(); this.#url = url; }

  get user() { return this.#credentials?.username ?? null; }
  get online() { return this.#online; }
  get outboxSize() { return this.#outbox.size; }

  /** Logs in with a password; resolves with LoginAccepted or rejects with the server's sentence. */
  async login(username, password) {
    this.#credentials = { username, password };
    this.#ended = false;
    await this.#open();
    const reply = await this.#loginOnce();
    if (reply.type !== Type.LoginAccepted) {
      this.#ended = true;
      this.#socket?.close();
      throw new Error(reply.payload.message ?? 'Login refused.');
    }
    return reply.payload;
  }

  request(type, payload) {
    if (!this.#online) return Promise.reject(new Error('Not connected; try again in a moment.'));
    return this.#send(type, payload);
  }

  /** Queues a direct or room message; it is sent now and again after every reconnect until answered. */
  sendMessage(target, text) {
    const messageId = ++this.#nextMessageId;
    const entry = { target, text, messageId, sentAt: Date.now() };
    this.#outbox.set(messageId, entry);
    this.#emit('outbox', entry);
    if (this.#online) this.#transmit(entry);
    return entry;
  }

  logout() {
    this.#ended = true;
    if (this.#online) this.#send(Type.Logout, {}).finally(() => this.#socket?.close());
  }

  #transmit(entry) {
    const room = entry.target.startsWith('#');
    const request = room
      ? this.#send(Type.RoomMessage, { room: entry.target, text: entry.text, messageId: entry.messageId })
      : this.#send(Type.SendMessage, { to: entry.target, text: entry.text, messageId: entry.messageId });
    request.then(reply => {
      if (!this.#outbox.has(entry.messageId)) return;
      this.#outbox.delete(entry.messageId);
      const ok = reply.type === Type.SendResult || (reply.type === Type.Response && reply.payload.status === 'Ok');
      this.#emit('sent', { entry, ok, reply: reply.payload });
    }, () => { /* connection lost: resent after the reconnect */ });
  }

  #open() {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(this.#url);
      socket.binaryType = 'arraybuffer';
      this.#decoder = new FrameDecoder();
      socket.onopen = () => resolve();
      socket.onerror = () => reject(new Error('Cannot reach the server.'));
      socket.onmessage = event => this.#receive(new Uint8Array(event.data));
      socket.onclose = () => this.#closed(socket);
      this.#socket = socket;
    });
  }

  #loginOnce() {
    const { username, password } = this.#credentials;
    const payload = this.#resumeToken
      ? { username, resumeToken: this.#resumeToken, features: ['rooms'] }
      : { username, password, features: ['rooms'] };
    return this.#send(Type.Login, payload).then(reply => {
      if (reply.type === Type.LoginAccepted) {
        this.#resumeToken = reply.payload.resumeToken;
        this.#online = true;
        this.#retry = 0;
        this.#emit('online', reply.payload);
        for (const entry of this.#outbox.values()) this.#transmit(entry);
      }
      return reply;
    });
  }

  #send(type, payload) {
    const id = this.#nextRequest++;
    if (this.#nextRequest > 0xffffffff) this.#nextRequest = 1;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      try {
        this.#socket.send(encodeFrame(type, id, payload));
      } catch (error) {
        this.#pending.delete(id);
        reject(error);
      }
    });
  }

  #receive(bytes) {
    let frames;
    try {
      frames = this.#decoder.push(bytes);
    } catch (error) {
      this.#emit('problem', { message: `Broken stream from the server (${error.message}); reconnecting.` });
      this.#socket.close();
      return;
    }
    for (const frame of frames) this.#dispatch(frame);
  }

  #dispatch({ type, requestId, payload }) {
    if (requestId !== 0 && this.#pending.has(requestId)) {
      const waiter = this.#pending.get(requestId);
      this.#pending.delete(requestId);
      waiter.resolve({ type, payload });
      return;
    }
    switch (type) {
      case Type.IncomingMessage: {
        const key = `${payload.from}\u0000${payload.messageId}`;
        this.#socket.send(encodeFrame(Type.Ack, 0, { deliveryIds: [payload.deliveryId] }));
        if (this.#seenDirect.has(key)) return;
        this.#seenDirect.add(key);
        this.#emit('direct', payload);
        return;
      }
      case Type.RoomMessageEvent: {
        const room = payload.room.toLowerCase();
        this.#socket.send(encodeFrame(Type.RoomAck, 0, { positions: [{ room: payload.room, position: payload.position }] }));
        if ((this.#roomPositions.get(room) ?? -1) >= payload.position) return;
        this.#roomPositions.set(room, payload.position);
        this.#emit('room', payload);
        return;
      }
      case Type.Presence: this.#emit('presence', payload); return;
      case Type.PresenceDigest: for (const event of payload.events) this.#emit('presence', event); this.#emit('digest', payload); return;
      case Type.Notice: this.#emit('notice', payload); return;
      case Type.RoomNotice: this.#emit('roomnotice', payload); return;
      case Type.SessionEnded:
        // A server restart is not the user's doing: the page comes back by itself. Anything else ends the session.
        if (payload.reason !== 'shutdown') this.#ended = true;
        this.#resumeToken = null;
        this.#emit('ended', payload);
        return;
      case Type.Response:
        if (payload.status !== 'Ok') this.#emit('problem', payload);
        return;
      default:
        return;
    }
  }

  #closed(socket) {
    if (socket !== this.#socket) return;
    const wasOnline = this.#online;
    this.#online = false;
    for (const waiter of this.#pending.values()) waiter.reject(new Error('connection lost'));
    this.#pending.clear();
    if (wasOnline) this.#emit('offline', {});
    if (this.#ended || !this.#credentials) return;
    const delay = Math.min(250 * 2 ** this.#retry, 5000);
    this.#retry++;
    setTimeout(() => this.#reconnect(), delay);
  }

  async #reconnect() {
    if (this.#ended) return;
    try {
      await this.#open();
      let reply = await this.#loginOnce();
      if (reply.type !== Type.LoginAccepted && this.#resumeToken) {
        // The server restarted (its resume tokens are gone): log in again with the password.
        this.#resumeToken = null;
        reply = await this.#loginOnce();
      }
      if (reply.type !== Type.LoginAccepted) {
        this.#emit('problem', reply.payload);
        if (reply.payload.reason !== 'rate_limited' && reply.payload.reason !== 'already_logged_in') {
          this.#ended = true;
        }
        this.#socket.close();
      }
    } catch {
      // #closed schedules the next attempt.
    }
  }

  #emit(name, detail) { this.dispatchEvent(new CustomEvent(name, { detail })); }
}
