import WebSocket from 'ws';

/** A server frame as the test sees it. */
export type WsMessage = Record<string, unknown> & { op: string };

export interface WsCloseEvent {
  code: number;
  reason: string;
}

interface Waiter {
  predicate: (message: WsMessage) => boolean;
  resolve: (message: WsMessage) => void;
}

/**
 * A real `ws` client that queues every JSON frame it receives, so a test can wait for the next one matching a
 * predicate, and records how the connection closed.
 */
export class WsTestClient {
  readonly received: WsMessage[] = [];
  readonly closed: Promise<WsCloseEvent>;
  private readonly unread: WsMessage[] = [];
  private waiters: Waiter[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as WsMessage;
      this.received.push(message);
      const index = this.waiters.findIndex((w) => w.predicate(message));
      if (index >= 0) {
        const [waiter] = this.waiters.splice(index, 1);
        waiter.resolve(message);
      } else {
        this.unread.push(message);
      }
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => resolve({ code, reason: String(reason) }));
    });
  }

  /** Opens a connection and waits for the server's welcome frame. */
  static async connect(url: string, headers: Record<string, string> = {}): Promise<WsTestClient> {
    const socket = new WebSocket(url, { headers });
    const client = new WsTestClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    await client.next((m) => m.op === 'welcome');
    return client;
  }

  /** The HTTP status a refused upgrade answered with. */
  static refusedStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      socket.once('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0);
        socket.terminate();
      });
      socket.once('open', () => {
        socket.terminate();
        reject(new Error('the upgrade was accepted'));
      });
      socket.on('error', () => undefined);
    });
  }

  send(frame: object | string): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Sends a frame and waits for the reply carrying its id. */
  async request(frame: Record<string, unknown> & { id: string | number }, timeoutMs = 2000): Promise<WsMessage> {
    this.send(frame);
    return this.next((m) => m.id === frame.id, timeoutMs);
  }

  /** The first unread frame matching `predicate`, waiting for it up to `timeoutMs`. */
  next(predicate: (message: WsMessage) => boolean = () => true, timeoutMs = 2000): Promise<WsMessage> {
    const index = this.unread.findIndex(predicate);
    if (index >= 0) return Promise.resolve(this.unread.splice(index, 1)[0]);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching frame within ${timeoutMs} ms; received: ${JSON.stringify(this.received)}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Frames received and not yet taken by next(). */
  unreadFrames(): WsMessage[] {
    return [...this.unread];
  }

  /** Closes cleanly, or destroys the socket when the server does not answer within a second. */
  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close();
    const timer = setTimeout(() => this.socket.terminate(), 1000);
    await this.closed;
    clearTimeout(timer);
  }
}
