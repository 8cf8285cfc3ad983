// Net: the public surface of src/net/, what other capabilities import from it (see docs/architecture.md, Layers).
export { type AllowList, parseAllowList, urlRefusal } from './policy.ts';
export {
  defaultOutboundPolicy,
  OutboundLost,
  type OutboundPolicy,
  OutboundRefused,
  outboundRequest,
} from './request.ts';
