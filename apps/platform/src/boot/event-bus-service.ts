import {
  createNatsEventBus,
  InProcessEventBus,
  type BusHandlerErrorHook,
  type EventBus,
  type PlatformConfig,
  type Service,
} from '@rrr/core';

/** The event bus as a registry service: in-process by default, NATS JetStream when configured for scale-out. */
export interface EventBusService extends Service {
  readonly bus: EventBus;
}

export function createEventBusService(
  config: PlatformConfig['bus'],
  onHandlerError: BusHandlerErrorHook,
): EventBusService {
  let bus: EventBus | undefined;
  return {
    get bus(): EventBus {
      if (!bus) throw new Error('event bus service is not started');
      return bus;
    },
    async start() {
      bus =
        config.kind === 'nats'
          ? await createNatsEventBus({
              url: config.natsUrl,
              stream: config.stream,
              prefix: config.prefix,
              onHandlerError,
              name: 'rrr-platform',
            })
          : new InProcessEventBus({ onHandlerError });
    },
    async stop() {
      await bus?.close();
      bus = undefined;
    },
    health() {
      return bus
        ? { status: 'up', details: { kind: config.kind } }
        : { status: 'down', details: { reason: 'not started' } };
    },
  };
}
