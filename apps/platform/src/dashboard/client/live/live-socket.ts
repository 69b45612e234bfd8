import type {
  Bar,
  Fill,
  Order,
  Position,
  Prediction,
  RiskAlert,
  ServiceStatusEvent,
  Signal,
  Trade,
} from '../api/wire-types';

/** The gateway's channels and what their events carry (apps/platform/src/ws/ws-channels.ts). */
export interface LiveChannels {
  bars: Bar;
  trades: Trade;
  signals: Signal;
  predictions: Prediction;
  orders: Order;
  fills: Fill;
  portfolio: Position;
  alerts: RiskAlert;
  health: ServiceStatusEvent;
}

export type LiveChannel = keyof LiveChannels;

export type ConnectionState = 'connecting' | 'open' | 'closed';

interface ServerFrame {
  op: string;
  channel?: LiveChannel;
  topic?: string;
  data?: unknown;
  error?: { code: string; message: string };
}

const MAX_BACKOFF_MS = 15_000;

/**
 * The dashboard's one connection to `/ws`: keeps the wanted subscriptions (sent again after every reconnect),
 * answers the server's heartbeats, reconnects with backoff, and hands events to the panels by channel. After a
 * reconnect the panels resync over REST (`onResync`), since events sent while away are gone.
 */
export class LiveSocket {
  private socket: WebSocket | undefined;
  private readonly handlers = new Map<LiveChannel, Set<(data: never, topic: string) => void>>();
  private readonly resyncHandlers = new Set<() => void>();
  private readonly wanted = new Map<LiveChannel, Set<string> | 'all'>();
  private attempts = 0;
  private everOpened = false;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly onState: (state: ConnectionState, detail: string) => void,
  ) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.socket?.close(1000, 'dashboard closed');
  }

  on<C extends LiveChannel>(channel: C, handler: (data: LiveChannels[C], topic: string) => void): void {
    let set = this.handlers.get(channel);
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(handler as (data: never, topic: string) => void);
  }

  onResync(handler: () => void): void {
    this.resyncHandlers.add(handler);
  }

  /** Every symbol when `symbols` is absent. */
  subscribe(channels: LiveChannel[], symbols?: string[]): void {
    for (const channel of channels) {
      if (symbols === undefined) this.wanted.set(channel, 'all');
      else {
        const current = this.wanted.get(channel);
        const set = current instanceof Set ? current : new Set<string>();
        for (const symbol of symbols) set.add(symbol);
        this.wanted.set(channel, set);
      }
    }
    this.send({ op: 'subscribe', channels, ...(symbols ? { symbols } : {}) });
  }

  unsubscribe(channels: LiveChannel[], symbols: string[]): void {
    for (const channel of channels) {
      const current = this.wanted.get(channel);
      if (current instanceof Set) for (const symbol of symbols) current.delete(symbol);
    }
    this.send({ op: 'unsubscribe', channels, symbols });
  }

  /** Moves `channels` from following `previous` (if another symbol) to following `next`. */
  follow(channels: LiveChannel[], previous: string | undefined, next: string): void {
    if (previous !== undefined && previous !== next) this.unsubscribe(channels, [previous]);
    this.subscribe(channels, [next]);
  }

  private connect(): void {
    this.onState('connecting', this.attempts === 0 ? 'connecting…' : `reconnecting (attempt ${this.attempts})…`);
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.attempts = 0;
      this.onState('open', 'live');
      this.resubscribe();
      if (this.everOpened) for (const handler of this.resyncHandlers) handler();
      this.everOpened = true;
    });
    socket.addEventListener('message', (message) => this.receive(message.data));
    socket.addEventListener('close', (event) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      if (this.stopped) return;
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempts++);
      this.onState(
        'closed',
        `disconnected (${event.code}${event.reason ? ` ${event.reason}` : ''}); retry in ${Math.round(delay / 1000)} s`,
      );
      window.setTimeout(() => this.connect(), delay);
    });
  }

  private resubscribe(): void {
    const everything = [...this.wanted].filter(([, symbols]) => symbols === 'all').map(([channel]) => channel);
    if (everything.length > 0) this.send({ op: 'subscribe', channels: everything });
    for (const [channel, symbols] of this.wanted) {
      if (symbols instanceof Set && symbols.size > 0)
        this.send({ op: 'subscribe', channels: [channel], symbols: [...symbols] });
    }
  }

  private send(frame: Record<string, unknown>): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  private receive(raw: unknown): void {
    if (typeof raw !== 'string') return;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(raw) as ServerFrame;
    } catch {
      return;
    }
    if (frame.op === 'ping') this.send({ op: 'pong' });
    else if (frame.op === 'event' && frame.channel) {
      for (const handler of this.handlers.get(frame.channel) ?? []) handler(frame.data as never, frame.topic ?? '');
    } else if (frame.op === 'error' && frame.error) {
      this.onState('open', `live (server said ${frame.error.code}: ${frame.error.message})`);
    }
  }
}
