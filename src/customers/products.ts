// Product catalogue: upsert by product id; later fields replace earlier ones, absent ones are kept.
import type { Db } from '../store/db.ts';

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
  const col = <K extends keyof Product>(k: K) => products.map((p) => p[k] ?? null);
  const rows = await db.query(
    `INSERT INTO products (workspace_id, product_id, name, price, category, url, image_url, in_stock, updated_at)
     SELECT $1, * , now() FROM unnest($2::text[], $3::text[], $4::numeric[], $5::text[], $6::text[], $7::text[], $8::boolean[])
     ON CONFLICT (workspace_id, product_id) DO UPDATE SET
       name = COALESCE(excluded.name, products.name), price = COALESCE(excluded.price, products.price),
       category = COALESCE(excluded.category, products.category), url = COALESCE(excluded.url, products.url),
       image_url = COALESCE(excluded.image_url, products.image_url), in_stock = COALESCE(excluded.in_stock, products.in_stock),
       updated_at = now()
     RETURNING 1`,
    [ws, col('id'), col('name'), col('price'), col('category'), col('url'), col('imageUrl'), col('inStock')],
  );
  return rows.length;
}
