/**
 * A TCP proxy on a loopback port in front of PostgreSQL or MySQL/MariaDB, for tests that
 * need a connection to break at an exact point: right after a COMMIT has been forwarded to
 * the server (the client never hears the answer, the server commits), just before a chosen
 * statement would be forwarded (the server never sees it), or at once.
 *
 * It reads what the client sends: PostgreSQL's frontend messages (simple Query, and the
 * extended Parse/Bind/Execute/Sync, remembering which prepared statement and portal hold
 * which text), and MySQL's packets (COM_QUERY, and COM_STMT_PREPARE/COM_STMT_EXECUTE, the
 * statement ids read from the server's answers to the prepares).
 */
import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export type ProxyProtocol = "postgres" | "mysql";

const COMMIT = /^\s*(commit|end)\b/i;
const BEGIN = /^\s*(begin|start transaction)\b/i;
const ROLLBACK = /^\s*(rollback|abort)\b/i;
/** A statement that writes: outside a transaction block, its own commit point. */
const WRITE = /^\s*(insert|update|delete)\b|^\s*with\b[\s\S]*\b(insert|update|delete)\b/i;

export interface TcpProxy {
  readonly port: number;
  /** `url` (a postgres:// or mysql:// URL) pointed at the proxy instead of the server. */
  urlFor(url: string): string;
  /**
   * The next COMMIT any client sends (on PostgreSQL also a write statement outside a
   * transaction block, which commits by itself) is forwarded to the server, then that client's
   * connection is cut before the server's answer reaches it; the server side is left to finish
   * the COMMIT. With `after`, only the COMMIT of a transaction that sent a statement matching it
   * (the COMMIT of a migration or of another call passes). Resolves when the cut has happened.
   */
  cutAfterCommit(after?: RegExp): Promise<void>;
  /** The next statement whose text matches `pattern` is not forwarded: its connection is cut instead. */
  cutBefore(pattern: RegExp): Promise<void>;
  /** Cuts every open connection now; returns how many were open. */
  cutNow(): number;
  /** Connections accepted so far. */
  readonly accepted: number;
  close(): Promise<void>;
}

type Trigger =
  | { kind: "after-commit"; after: RegExp | undefined; fired: () => void }
  | { kind: "before"; pattern: RegExp; fired: () => void };

/** What one client connection is doing, as far as the cut decisions need to know. */
interface Session {
  client: Socket;
  server: Socket;
  cut: boolean;
  /** Statement texts sent since the last COMMIT. */
  sent: string[];
  /** Forward the rest of the current chunk, then cut (a COMMIT whose Sync is still to come). */
  cutAtSync: (() => void) | null;
  /** Between BEGIN and COMMIT or ROLLBACK (PostgreSQL's extended protocol). */
  inBlock: boolean;
}

export async function startTcpProxy(
  protocol: ProxyProtocol,
  target: { host: string; port: number },
): Promise<TcpProxy> {
  const sessions = new Set<Session>();
  const triggers: Trigger[] = [];
  let accepted = 0;

  /** The armed trigger that `text`, sent by session `s`, sets off, taken off the list. */
  const take = (s: Session, kind: Trigger["kind"], text: string): Trigger | undefined => {
    if (kind === "after-commit" && !COMMIT.test(text)) {
      s.sent.push(text);
      return undefined;
    }
    const i = triggers.findIndex((t) =>
      t.kind !== kind
        ? false
        : t.kind === "after-commit"
          ? t.after === undefined || s.sent.some((sent) => t.after!.test(sent))
          : t.pattern.test(text),
    );
    if (kind === "after-commit") s.sent = [];
    return i < 0 ? undefined : triggers.splice(i, 1)[0];
  };

  const hardCut = (s: Session) => {
    s.cut = true;
    s.client.destroy();
    s.server.destroy();
  };

  /** The client goes now; the server gets what was forwarded and a clean end after its answer. */
  const cutClientKeepServer = (s: Session) => {
    s.cut = true;
    s.client.destroy();
    const end = () => s.server.end();
    s.server.once("data", end);
    setTimeout(end, 2000).unref();
  };

  const server: Server = createServer((client) => {
    accepted++;
    const upstream = connect(target.port, target.host);
    // Small protocol messages must not wait for Nagle's algorithm.
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const session: Session = { client, server: upstream, cut: false, cutAtSync: null, sent: [], inBlock: false };
    sessions.add(session);
    const done = () => {
      sessions.delete(session);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", done);
    upstream.on("error", done);
    client.on("close", () => {
      sessions.delete(session);
      if (!session.cut) upstream.destroy();
    });
    upstream.on("close", () => {
      sessions.delete(session);
      client.destroy();
    });
    const mysql = protocol === "mysql" ? mysqlReaders(session) : null;
    upstream.on("data", (chunk: Buffer) => {
      if (session.cut) return;
      mysql?.fromServer(chunk);
      client.write(chunk);
    });
    const reader = mysql?.fromClient ?? postgresReader(session);
    client.on("data", (chunk: Buffer) => {
      if (!session.cut) reader(chunk);
    });
  });

  /** A message-by-message reader of one client's stream; each message is forwarded or not. */
  function postgresReader(s: Session): (chunk: Buffer) => void {
    let buffer = Buffer.alloc(0);
    let startup = true;
    const statements = new Map<string, string>();
    const portals = new Map<string, string>();
    return (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (s.cut) return;
        if (startup) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) return;
          const code = buffer.readInt32BE(4);
          // SSLRequest and GSSENCRequest are followed by another startup message.
          if (code !== 80877103 && code !== 80877104) startup = false;
          s.server.write(buffer.subarray(0, length));
          buffer = buffer.subarray(length);
          continue;
        }
        if (buffer.length < 5) return;
        const type = String.fromCharCode(buffer[0]!);
        const length = buffer.readInt32BE(1) + 1;
        if (buffer.length < length) return;
        const message = buffer.subarray(0, length);
        const body = message.subarray(5);
        buffer = buffer.subarray(length);
        const strings = () => cStrings(body);
        let text: string | undefined;
        let commitAtSync = false;
        if (type === "Q") {
          text = strings()[0];
          if (text !== undefined && BEGIN.test(text)) s.inBlock = true;
          else if (text !== undefined && (COMMIT.test(text) || ROLLBACK.test(text))) s.inBlock = false;
        } else if (type === "P") {
          const [name = "", query = ""] = strings();
          statements.set(name, query);
          text = query;
        } else if (type === "B") {
          const [portal = "", statement = ""] = strings();
          const query = statements.get(statement) ?? "";
          portals.set(portal, query);
          text = query;
        } else if (type === "E") {
          const query = portals.get(strings()[0] ?? "") ?? "";
          // A COMMIT, or a write outside a transaction block (an autocommitted statement), is a
          // point after which the change may be applied whether or not the client hears it.
          commitAtSync = COMMIT.test(query) || (!s.inBlock && WRITE.test(query));
          if (BEGIN.test(query)) s.inBlock = true;
          else if (COMMIT.test(query) || ROLLBACK.test(query)) s.inBlock = false;
        }
        if (text !== undefined && type !== "E") {
          const before = take(s, "before", text);
          if (before) {
            hardCut(s);
            before.fired();
            return;
          }
        }
        s.server.write(message);
        if ((type === "Q" || type === "B") && text !== undefined && !COMMIT.test(text)) s.sent.push(text);
        if (type === "Q" && text !== undefined && COMMIT.test(text)) {
          const after = take(s, "after-commit", text);
          if (after) {
            cutClientKeepServer(s);
            after.fired();
            return;
          }
        }
        if (commitAtSync && !s.cutAtSync) {
          const after = take(s, "after-commit", "commit");
          if (after) s.cutAtSync = after.fired;
        }
        if (type === "S" && s.cutAtSync) {
          const fired = s.cutAtSync;
          s.cutAtSync = null;
          cutClientKeepServer(s);
          fired();
          return;
        }
      }
    };
  }

  /** MySQL packets, each way: 3 bytes length, 1 byte sequence, payload. */
  function mysqlPackets(onPacket: (packet: Buffer) => boolean): (chunk: Buffer) => void {
    let buffer = Buffer.alloc(0);
    return (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 4) {
        const length = buffer.readUIntLE(0, 3) + 4;
        if (buffer.length < length) return;
        const packet = buffer.subarray(0, length);
        buffer = buffer.subarray(length);
        if (!onPacket(packet)) return;
      }
    };
  }

  /**
   * The client's packets, forwarded or not: a COM_QUERY (0x03) or COM_STMT_PREPARE (0x16)
   * payload is its text; a COM_STMT_EXECUTE (0x17) names a statement id, which the server's
   * answer to the prepare gave (its first packet: 0x00, then the id). A client sends one command
   * at a time, so the next answer to begin (sequence 1) is that of the oldest prepare.
   */
  function mysqlReaders(s: Session) {
    const preparing: string[] = [];
    const statements = new Map<number, string>();
    const fromServer = mysqlPackets((packet) => {
      if (preparing.length > 0 && packet[3] === 1) {
        const text = preparing.shift()!;
        if (packet[4] === 0x00 && packet.length >= 9) statements.set(packet.readUInt32LE(5), text);
      }
      return true;
    });
    const fromClient = mysqlPackets((packet) => {
      if (s.cut) return false;
      const command = packet[4];
      let text: string | undefined;
      if (command === 0x03 || command === 0x16) text = packet.subarray(5).toString("utf8");
      else if (command === 0x17 && packet.length >= 9) text = statements.get(packet.readUInt32LE(5));
      if (text !== undefined) {
        const before = take(s, "before", text);
        if (before) {
          hardCut(s);
          before.fired();
          return false;
        }
      }
      if (command === 0x16) preparing.push(text!);
      s.server.write(packet);
      // A prepare runs nothing: the statement counts as sent when it is executed.
      if (text !== undefined && command !== 0x16) {
        const after = take(s, "after-commit", text);
        if (after) {
          cutClientKeepServer(s);
          after.fired();
          return false;
        }
      }
      return true;
    });
    return { fromServer, fromClient };
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const arm = (make: (fired: () => void) => Trigger) =>
    new Promise<void>((resolve) => {
      triggers.push(make(resolve));
    });

  return {
    port,
    get accepted() {
      return accepted;
    },
    urlFor(url) {
      const u = new URL(url);
      u.hostname = "127.0.0.1";
      u.port = String(port);
      return u.toString();
    },
    cutAfterCommit: (after) => arm((fired) => ({ kind: "after-commit", after, fired })),
    cutBefore: (pattern) => arm((fired) => ({ kind: "before", pattern, fired })),
    cutNow() {
      const open = [...sessions];
      for (const s of open) hardCut(s);
      return open.length;
    },
    async close() {
      triggers.length = 0;
      for (const s of [...sessions]) hardCut(s);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The NUL-terminated strings at the start of a message body. */
function cStrings(body: Buffer): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < body.length && out.length < 2; i++) {
    if (body[i] === 0) {
      out.push(body.subarray(start, i).toString("utf8"));
      start = i + 1;
    }
  }
  return out;
}

/** host and port of a postgres:// or mysql:// URL. */
export function serverOf(url: string, defaultPort: number): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: u.port ? Number(u.port) : defaultPort };
}
