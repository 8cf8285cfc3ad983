// Sample triggering events for previews (pure data): what a template sees when the chosen customer has no such event
// yet — a product added to a cart (with the cart it makes), an order completed, a sign-up. Their amounts are shown in
// the customer's currency, else the workspace's (preview.ts sets it): the EUR here is only a placeholder.
import type { Cart } from '../../carts/index.ts';

export const SAMPLE_EVENT_IDS = ['product_added', 'order_completed', 'signed_up'] as const;
export type SampleEventId = (typeof SAMPLE_EVENT_IDS)[number];

export interface SampleEvent {
  id: SampleEventId;
  /** The event's name, as a journey's trigger names it. */
  event: string;
  label: string;
  properties: Record<string, unknown>;
  /** The cart the event leaves behind, used when the customer has none of their own. */
  cart: Cart | null;
}

const AT = '2026-01-15T10:30:00.000Z';
const kettle = {
  productId: 'sample-kettle',
  sku: 'K-1',
  name: 'Kettle',
  variant: null,
  category: 'Kitchen',
  price: 34.9,
  imageUrl: 'https://placehold.co/240x240/png?text=Kettle',
  url: 'https://shop.example/kettle',
};
const mug = {
  productId: 'sample-mug',
  sku: 'M-2',
  name: 'Mug',
  variant: 'blue',
  category: 'Kitchen',
  price: 8.5,
  imageUrl: 'https://placehold.co/240x240/png?text=Mug',
  url: 'https://shop.example/mug',
};

const sampleCart: Cart = {
  id: 'sample-cart',
  status: 'open',
  currency: 'EUR',
  url: 'https://shop.example/cart',
  updatedAt: AT,
  orderId: null,
  orderedAt: null,
  items: [
    { ...kettle, quantity: 1, total: 34.9 },
    { ...mug, quantity: 2, total: 17 },
  ],
  quantity: 3,
  total: 51.9,
};

export const SAMPLE_EVENTS: Record<SampleEventId, SampleEvent> = {
  product_added: {
    id: 'product_added',
    event: 'Product Added',
    label: 'Product Added (a cart of 2 lines)',
    properties: {
      cart_id: 'sample-cart',
      product_id: 'sample-mug',
      sku: 'M-2',
      name: 'Mug',
      variant: 'blue',
      price: 8.5,
      quantity: 1,
      currency: 'EUR',
      image_url: mug.imageUrl,
      url: mug.url,
      cart_url: 'https://shop.example/cart',
    },
    cart: sampleCart,
  },
  order_completed: {
    id: 'order_completed',
    event: 'Order Completed',
    label: 'Order Completed (2 products)',
    properties: {
      order_id: 'sample-1001',
      total: 51.9,
      revenue: 51.9,
      currency: 'EUR',
      products: [
        { product_id: 'sample-kettle', name: 'Kettle', price: 34.9, quantity: 1 },
        { product_id: 'sample-mug', name: 'Mug', price: 8.5, quantity: 2 },
      ],
    },
    cart: null,
  },
  signed_up: { id: 'signed_up', event: 'Signed Up', label: 'Signed Up', properties: { method: 'email' }, cart: null },
};
