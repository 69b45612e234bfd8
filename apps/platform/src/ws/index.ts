export { WS_CHANNELS, WS_CHANNEL_TOPICS, type WsChannel } from './ws-channels';
export { WS_CLIENT_OPS, parseClientFrame, type WsClientFrame, type WsClientOp } from './ws-protocol';
export { WS_CLOSE, WsConnection } from './ws-connection';
export { WsGateway, type WsGatewayDeps } from './ws-gateway';
export {
  DEFAULT_WS_GATEWAY_OPTIONS,
  resolveWsGatewayOptions,
  type WsGatewayOptions,
  type WsRateOptions,
} from './ws-gateway-options';
export { wsGatewayFastifyPlugin, type WsGatewayPluginOptions } from './ws-gateway-plugin';
export { placeOrderUnavailable, type PlaceOrder, type PlaceOrderContext } from './place-order';
