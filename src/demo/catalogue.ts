// The demo shop's catalogue: a tea and kitchenware shop, prices in EUR.

export interface DemoProduct {
  id: string;
  name: string;
  category: string;
  price: number;
}

const ROWS: [string, string, number][] = [
  ['tea', 'Assam breakfast tea, 250 g', 8.9],
  ['tea', 'Darjeeling first flush, 100 g', 14.5],
  ['tea', 'Sencha, 100 g', 11.2],
  ['tea', 'Earl Grey with bergamot, 250 g', 9.4],
  ['tea', 'Rooibos vanilla, 200 g', 7.8],
  ['tea', 'Oolong Tie Guan Yin, 100 g', 16.9],
  ['tea', 'Mint and lemon balm, 150 g', 6.5],
  ['tea', 'Smoky Lapsang, 100 g', 10.9],
  ['tea', 'Ivan-chai, 100 g', 8.2],
  ['coffee', 'Single-origin beans, Ethiopia, 500 g', 18.5],
  ['coffee', 'Espresso blend, 1 kg', 27.0],
  ['coffee', 'Decaf beans, 250 g', 9.9],
  ['kitchen', 'Cast-iron teapot, 0.8 l', 49.0],
  ['kitchen', 'Glass teapot with infuser, 1 l', 29.5],
  ['kitchen', 'Stoneware mug', 12.0],
  ['kitchen', 'Hand grinder, ceramic burrs', 39.9],
  ['kitchen', 'Pour-over dripper', 21.0],
  ['kitchen', 'Gooseneck kettle, 1 l', 54.0],
  ['kitchen', 'Tea caddy, tin, 250 g', 8.5],
  ['kitchen', 'Linen tea towel', 9.0],
  ['gifts', 'Tasting set, six teas', 34.0],
  ['gifts', 'Gift card 25', 25.0],
  ['gifts', 'Gift card 50', 50.0],
  ['gifts', 'Advent calendar of teas', 39.0],
  ['sweets', 'Dark chocolate, 70%, 100 g', 4.9],
  ['sweets', 'Honey from the Mazury lakes, 400 g', 11.5],
  ['sweets', 'Oat biscuits, 200 g', 3.9],
  ['sweets', 'Zefir, 250 g', 5.6],
  ['sweets', 'Shortbread tin, 300 g', 8.8],
];

export const DEMO_PRODUCTS: readonly DemoProduct[] = ROWS.map(([category, name, price], i) => ({
  id: `demo-sku-${String(i + 1).padStart(3, '0')}`,
  name,
  category,
  price,
}));
