// The wire format of docs/PROTOCOL.md §2 in the browser: a 20-byte big-endian header (magic, version, type, flags,
// request id, payload length, CRC-32C of the payload) and a UTF-8 JSON payload. The server's stream may split or
// pack frames across WebSocket messages, so decoding accumulates bytes like a TCP reader.

export const MAGIC = 0xabcdef88;
export const HEADER = 20;
export const MAX_PAYLOAD = 1024 * 1024 + 4096;

export const Type = Object.freeze({
  Login: 0x10, SendMessage: 0x11, Broadcast: 0x12, WhoElse: 0x13, Block: 0x14, Unblock: 0x15, Logout: 0x16,
  Ping: 0x17, Ack: 0x1f, Response: 0x20, LoginAccepted: 0x21, SendResult: 0x22, BroadcastResult: 0x23,
  UserList: 0x24, IncomingMessage: 0x30, Presence: 0x31, SessionEnded: 0x32, Notice: 0x33, PresenceDigest: 0x34,
  JoinRoom: 0x60, LeaveRoom: 0x61, RoomMessage: 0x62, ListRooms: 0x63, RoomMembers: 0x64, RoomSettings: 0x65,
  History: 0x68, RoomAck: 0x6a, RoomList: 0x6b, RoomMemberList: 0x6c, HistoryPage: 0x6d, RoomMessageEvent: 0x6e,
  RoomNotice: 0x6f,
});

const crcTable = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32C (Castagnoli), reflected, init and final XOR 0xFFFFFFFF; 0 for empty input. */
export function crc32c(bytes) {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

export function encodeFrame(type, requestId, payload) {
  const body = utf8.encode(JSON.stringify(payload));
  const frame = new Uint8Array(HEADER + body.length);
  const view = new DataView(frame.buffer);
  view.setUint32(0, MAGIC);
  view.setUint8(4, 1);
  view.setUint8(5, type);
  view.setUint16(6, 0);
  view.setUint32(8, requestId >>> 0);
  view.setUint32(12, body.length);
  view.setUint32(16, body.length === 0 ? 0 : crc32c(body));
  frame.set(body, HEADER);
  return frame;
}

/** Accumulates received bytes and yields whole frames; throws on a broken stream (the caller reconnects). */
export class FrameDecoder {
  #buffer = new Uint8Array(0);

  push(chunk) {
    const joined = new Uint8Array(this.#buffer.length + chunk.length);
    joined.set(this.#buffer);
    joined.set(chunk, this.#buffer.length);
    this.#buffer = joined;
    const frames = [];
    while (this.#buffer.length >= HEADER) {
      const view = new DataView(this.#buffer.buffer, this.#buffer.byteOffset);
      if (view.getUint32(0) !== MAGIC || view.getUint8(4) !== 1) throw new Error('bad frame header');
      const length = view.getUint32(12);
      if (length > MAX_PAYLOAD) throw new Error('frame too large');
      if (this.#buffer.length < HEADER + length) break;
      const body = this.#buffer.subarray(HEADER, HEADER + length);
      if ((length === 0 ? 0 : crc32c(body)) !== view.getUint32(16)) throw new Error('checksum mismatch');
      frames.push({
        type: view.getUint8(5),
        requestId: view.getUint32(8),
        payload: length === 0 ? {} : JSON.parse(fromUtf8.decode(body)),
      });
      this.#buffer = this.#buffer.slice(HEADER + length);
    }
    return frames;
  }
}
