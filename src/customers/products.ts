// Product catalogue: upsert by product id; later fields replace earlier ones, absent ones are kept.
import { type Db, bulkRows } from '../store/index.ts';

export interface Product {
  id: string;
  name?: string;
  price?: number;
  category?: string;
  url?: string;
  imageUrl?: string;
  inStock?: boolean;
}

export async function upsertProducts(db: Db, ws: string, given: Product[]): Promise<number> {
  const products = [...new Map(given.map((p) => [p.id, p])).values()]; // one row per id: the last one given wins
  if (products.length === 0) return 0;
  const t = bulkRows(
    {
      product_id: 'text',
      name: 'text',
      price: 'numeric',
      category: 'text',
      url: 'text',
      image_url: 'text',
      in_stock: 'boolean',
    },
    products.map((p) => ({
      product_id: p.id,
      name: p.name,
      price: p.price,
      category: p.category,
      url: p.url,
      image_url: p.imageUrl,
      in_stock: p.inStock,
    })),
    { at: 2 },
  );
  const rows = await db.query(
    `INSERT INTO products (workspace_id, ${t.columns}, updated_at)
     SELECT $1, ${t.columns}, now() FROM ${t.from}
     ON CONFLICT (workspace_id, product_id) DO UPDATE SET
       name = COALESCE(excluded.name, products.name), price = COALESCE(excluded.price, products.price),
       category = COALESCE(excluded.category, products.category), url = COALESCE(excluded.url, products.url),
       image_url = COALESCE(excluded.image_url, products.image_url), in_stock = COALESCE(excluded.in_stock, products.in_stock),
       updated_at = now()
     RETURNING 1`,
    [ws, ...t.params],
  );
  return rows.length;
}
