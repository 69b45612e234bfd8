import type { WebSocket } from 'ws';
import { FakeHttpServer, type FakeFault, type FakeRecordedRequest, type FakeResponse } from './fake-http-server';

/**
 * The HTTP and WebSocket plumbing every fake venue (exchange or data vendor) shares: one loopback FakeHttpServer whose
 * requests and sockets go to the fake's `handle` and `accept`, its origins, the recorded requests, scripted faults and
 * dropped sockets. A fake adds the venue's protocol on top.
 */
export abstract class FakeVenueServer {
  protected constructor(readonly server: FakeHttpServer) {}

  /** Starts the server, builds the fake on it, then routes to it: nothing can connect before this resolves. */
  protected static async listen<F extends FakeVenueServer>(
    create: (server: FakeHttpServer) => F,
    options: { autoPong?: boolean } = {},
  ): Promise<F> {
    const server = await FakeHttpServer.start(() => ({ status: 503 }), {
      webSocket: true,
      autoPong: options.autoPong ?? true,
    });
    const fake = create(server);
    server.setHandler((request) => fake.handle(request));
    server.onWebSocket((socket) => fake.accept(socket));
    return fake;
  }

  /** REST origin to give the exchange client as `urls.rest`. */
  get restUrl(): string {
    return this.server.url;
  }

  /** WebSocket origin to give the exchange client as `urls.ws`. */
  get wsUrl(): string {
    return this.server.wsUrl;
  }

  get host(): string {
    return this.server.host;
  }

  get requests(): FakeRecordedRequest[] {
    return this.server.requests;
  }

  injectFaults(faults: readonly FakeFault[], path?: string): void {
    this.server.injectFaults(faults, path);
  }

  /** Requests received on `path` (exact path, no query). */
  requestsTo(path: string): FakeRecordedRequest[] {
    return this.server.requestsTo(path);
  }

  /** Terminates every WebSocket without a close frame. */
  dropConnections(): void {
    this.server.dropWebSockets();
  }

  async close(): Promise<void> {
    await this.server.close();
  }

  /** One REST request, answered in the venue's protocol. */
  protected abstract handle(request: FakeRecordedRequest): FakeResponse;

  /** A new WebSocket connection. */
  protected abstract accept(socket: WebSocket): void;
}
