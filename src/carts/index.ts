// Carts: the public surface of src/carts/, what other capabilities import from it (see docs/architecture.md, Layers).
export { cartFact, type CartFact, cartIdOf } from './events.ts';
export type { Cart, CartStatus } from './fold.ts';
export { snakeProduct, type SnakeProduct } from './product.ts';
export {
  COMBINE_CARTS,
  customerCarts,
  messageCommerce,
  type MessageCommerce,
  type MessageSubject,
  moveCarts,
} from './store.ts';
