// The lightest HTTP/1.1 client the bench can use (MBS_BENCH_CLIENTS=raw): kept-alive TCP
// connections, one request at a time on each, each request written in one piece and each answer
// parsed just far enough to find its status and Content-Length body. It speaks what any client
// sends, so the server does the same work as for undici; what it leaves out is the client's own
// per-request cost (undici's dispatcher, handlers and parser), which is not the front door's and
// which the direct driver does not pay either. Not a general client: no chunked answers, no
// redirects; anything it cannot read counts as a failed request. Like the undici pool, it opens
// at most 256 connections; beyond them requests wait (and the wait counts in their latency).
import { connect, type Socket } from 'node:net';

/** Sends one body to /v1/infer; `answered` gets the status and the body (status 0: no answer). */
export type Send = (payload: string, answered: (status: number, body: string) => void) => void;

interface Connection {
  readonly socket: Socket;
  /** The answer being read, if a request is out on this connection. */
  answered: ((status: number, body: string) => void) | undefined;
  received: Buffer;
}

const HEAD_END = Buffer.from('\r\n\r\n');
/** Connections at most, as the undici pool: beyond them requests wait for one to be free. */
const MAX_CONNECTIONS = 256;

/** A sender over raw keep-alive connections to `url`'s origin. */
export function rawHttpSender(url: URL): { send: Send; close: () => Promise<void> } {
  const idle: Connection[] = [];
  const all = new Set<Connection>();
  /** Requests waiting for a free connection, oldest first. */
  const waiting: { payload: string; answered: (status: number, body: string) => void }[] = [];
  const port = Number(url.port || 80);
  const fail = (connection: Connection) => {
    all.delete(connection);
    const index = idle.indexOf(connection);
    if (index >= 0) idle.splice(index, 1);
    const answered = connection.answered;
    connection.answered = undefined;
    connection.socket.destroy();
    answered?.(0, '');
    sendWaiting();
  };
  /** Reads an answer once all of it is in; false while it is incomplete. */
  const readAnswer = (connection: Connection): boolean => {
    const { received } = connection;
    const headEnd = received.indexOf(HEAD_END);
    if (headEnd < 0) return false;
    const head = received.toString('latin1', 0, headEnd);
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (length === null) {
      fail(connection);
      return true;
    }
    const bodyEnd = headEnd + 4 + Number(length[1]);
    if (received.length < bodyEnd) return false;
    const body = received.toString('utf8', headEnd + 4, bodyEnd);
    connection.received = received.subarray(bodyEnd);
    const answered = connection.answered!;
    connection.answered = undefined;
    if (/\r\nconnection: *close/i.test(head)) {
      all.delete(connection);
      connection.socket.end();
    } else idle.push(connection);
    answered(status, body);
    sendWaiting();
    return true;
  };
  const open = (): Connection => {
    const socket = connect({ host: url.hostname, port, noDelay: true });
    const connection: Connection = { socket, answered: undefined, received: Buffer.alloc(0) };
    socket.on('data', (chunk: Buffer) => {
      connection.received =
        connection.received.length === 0 ? chunk : Buffer.concat([connection.received, chunk]);
      if (connection.answered !== undefined) readAnswer(connection);
    });
    socket.on('error', () => fail(connection));
    socket.on('close', () => {
      if (all.has(connection)) fail(connection);
    });
    all.add(connection);
    return connection;
  };
  const host = `host: ${url.host}\r\n`;
  const write = (
    connection: Connection,
    payload: string,
    answered: (status: number, body: string) => void,
  ) => {
    connection.answered = answered;
    connection.socket.write(
      `POST /v1/infer HTTP/1.1\r\n${host}content-type: application/json\r\ncontent-length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`,
    );
  };
  /** Sends waiting requests while a connection is free or may be opened. */
  function sendWaiting() {
    while (waiting.length > 0 && (idle.length > 0 || all.size < MAX_CONNECTIONS)) {
      const next = waiting.shift()!;
      write(idle.pop() ?? open(), next.payload, next.answered);
    }
  }
  return {
    send(payload, answered) {
      if (waiting.length === 0 && (idle.length > 0 || all.size < MAX_CONNECTIONS)) {
        write(idle.pop() ?? open(), payload, answered);
      } else waiting.push({ payload, answered });
    },
    async close() {
      for (const connection of all) connection.socket.destroy();
      all.clear();
      idle.length = 0;
    },
  };
}
