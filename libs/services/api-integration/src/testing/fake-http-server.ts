import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** One request as the fake received it. */
export interface FakeRecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** The raw query string, for signature checks that must see the exact bytes. */
  rawQuery: string;
  headers: Record<string, string>;
  body: string;
  /** Index of the TCP connection it came on (0-based), to check keep-alive reuse. */
  connection: number;
}

/** What a handler answers. `body` objects are sent as JSON. */
export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * A scripted misbehaviour for the next matching request: an HTTP answer (a 429 with Retry-After, a 503, a 200 with a
 * malformed body), a connection reset before any answer, or a delay before the normal answer (for timeouts).
 */
export type FakeFault =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  | { reset: true }
  | { delayMs: number };

export type FakeRequestHandler = (request: FakeRecordedRequest) => FakeResponse | Promise<FakeResponse>;

export interface FakeHttpServerOptions {
  /** Accept WebSocket upgrades on this server (any path); see `onWebSocket`. */
  webSocket?: boolean;
  /** Whether WebSocket pings are answered; false simulates a peer that went silent. Default true. */
  autoPong?: boolean;
}

interface PendingFault {
  path: string | undefined;
  fault: FakeFault;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function flatHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/**
 * A real HTTP (and optionally WebSocket) server on 127.0.0.1 and an ephemeral port, recording every request and
 * playing scripted faults before handing requests to the vendor-specific handler. The vendor fakes are built on it.
 */
export class FakeHttpServer {
  readonly requests: FakeRecordedRequest[] = [];
  /** Every WebSocket currently open. */
  readonly sockets = new Set<WebSocket>();
  private readonly faults: PendingFault[] = [];
  private readonly connections = new Set<Socket>();
  private connectionCount = 0;
  private readonly wss: WebSocketServer | undefined;
  private webSocketListener: ((socket: WebSocket, request: IncomingMessage) => void) | undefined;
  private port = 0;

  private constructor(
    private readonly server: Server,
    private handler: FakeRequestHandler,
    options: FakeHttpServerOptions,
  ) {
    this.wss = options.webSocket ? new WebSocketServer({ server, autoPong: options.autoPong ?? true }) : undefined;
    this.wss?.on('connection', (socket, request) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      this.webSocketListener?.(socket, request);
    });
  }

  static async start(handler: FakeRequestHandler, options: FakeHttpServerOptions = {}): Promise<FakeHttpServer> {
    const server = createServer();
    const fake = new FakeHttpServer(server, handler, options);
    server.on('connection', (socket: Socket) => {
      const index = fake.connectionCount++;
      (socket as Socket & { fakeIndex?: number }).fakeIndex = index;
      fake.connections.add(socket);
      socket.on('close', () => fake.connections.delete(socket));
    });
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      fake.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) {
          response.writeHead(500, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ error: String(error) }));
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    fake.port = (server.address() as AddressInfo).port;
    return fake;
  }

  /** `http://127.0.0.1:<port>` */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** `ws://127.0.0.1:<port>` */
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** `127.0.0.1:<port>`: the key the HttpClient limits and guards this server under. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** TCP connections accepted so far (keep-alive reuse keeps this low). */
  get connectionsAccepted(): number {
    return this.connectionCount;
  }

  setHandler(handler: FakeRequestHandler): void {
    this.handler = handler;
  }

  onWebSocket(listener: (socket: WebSocket, request: IncomingMessage) => void): void {
    this.webSocketListener = listener;
  }

  /** Plays `faults` in order on the next requests (whose path starts with `path`, when given). */
  injectFaults(faults: readonly FakeFault[], path?: string): void {
    for (const fault of faults) this.faults.push({ path, fault });
  }

  /** Faults not yet played. */
  get pendingFaults(): number {
    return this.faults.length;
  }

  /** Requests received on `path` (exact path, no query). */
  requestsTo(path: string): FakeRecordedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  /** Closes every WebSocket abruptly (no close frame), as a network drop would. */
  dropWebSockets(): void {
    for (const socket of this.sockets) socket.terminate();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    if (this.wss) await new Promise<void>((resolve) => this.wss?.close(() => resolve()));
    for (const socket of this.connections) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private takeFault(path: string): FakeFault | undefined {
    const index = this.faults.findIndex((pending) => pending.path === undefined || path.startsWith(pending.path));
    if (index < 0) return undefined;
    return this.faults.splice(index, 1)[0].fault;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const recorded: FakeRecordedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams.entries()),
      rawQuery: url.search.startsWith('?') ? url.search.slice(1) : url.search,
      headers: flatHeaders(request),
      body: await readBody(request),
      connection: (request.socket as Socket & { fakeIndex?: number }).fakeIndex ?? -1,
    };
    this.requests.push(recorded);
    const fault = this.takeFault(recorded.path);
    if (fault !== undefined && 'reset' in fault) {
      request.socket.destroy();
      return;
    }
    if (fault !== undefined && 'delayMs' in fault) {
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (request.socket.destroyed) return;
    }
    const answer = fault !== undefined && 'status' in fault ? fault : await this.handler(recorded);
    const body =
      answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    response.writeHead(answer.status, {
      'content-type': 'application/json',
      ...answer.headers,
    });
    response.end(body);
  }
}
