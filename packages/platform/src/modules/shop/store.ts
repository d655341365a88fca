/**
 * The shop's tables and store functions (spec/applied-features.md §2): products (definition,
 * shelf status, stock per SKU), orders placed by simulated buyers, and the fixed category tree.
 */
import { randomBytes, randomInt } from "node:crypto";
import type { Migration } from "../../db/migrate.js";
import { type Db, parseJsonColumn } from "../../db/schema.js";

export interface ShopProductTable {
  product_id: string;
  appid: string;
  /** JSON of the product as created/updated (product_base, sku_list, attrext, delivery_info). */
  body: string;
  /** 1 on shelf, 2 off shelf */
  status: number;
  /** JSON: { [sku_info]: quantity } ("" for a product without SKUs) */
  stock: string;
  created_at: number;
}

export interface ShopOrderTable {
  order_id: string;
  appid: string;
  product_id: string;
  sku_info: string;
  count: number;
  price: number;
  user_id: string;
  openid: string;
  /** 2 to ship, 3 shipped, 5 done, 6 closed (emulator), 8 in dispute */
  status: number;
  /** JSON: receiver, delivery and product fields of the order object */
  data: string;
  created_at: number;
}

declare module "../../db/schema.js" {
  interface Database {
    shop_products: ShopProductTable;
    shop_orders: ShopOrderTable;
  }
}

export const shopMigrations: Migration[] = [
  {
    id: "shop.001_products_orders",
    async up(db) {
      await db.schema
        .createTable("shop_products")
        .addColumn("product_id", "text", (c) => c.primaryKey())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("status", "integer", (c) => c.notNull())
        .addColumn("stock", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("shop_orders")
        .addColumn("order_id", "text", (c) => c.primaryKey())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("product_id", "text", (c) => c.notNull())
        .addColumn("sku_info", "text", (c) => c.notNull())
        .addColumn("count", "integer", (c) => c.notNull())
        .addColumn("price", "bigint", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("openid", "text", (c) => c.notNull())
        .addColumn("status", "integer", (c) => c.notNull())
        .addColumn("data", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("shop_orders_appid")
        .on("shop_orders")
        .columns(["appid", "created_at"])
        .execute();
    },
  },
];

/** A small fixed category tree (real ids are WeChat's own and not published). */
export const CATEGORIES: Record<string, Array<{ id: string; name: string }>> = {
  "1": [
    { id: "537074298", name: "茶具" },
    { id: "537074299", name: "茶叶" },
  ],
  "537074298": [{ id: "537074300", name: "茶杯" }],
};
export const SKU_TABLE = [
  {
    id: "1075741873",
    name: "颜色",
    value_list: [
      { id: "1079742386", name: "白色" },
      { id: "1079742363", name: "青色" },
    ],
  },
];
export const PROPERTIES = [
  { id: "1075741879", name: "材质", property_value: [{ id: "1079749967", name: "陶瓷" }] },
];

export const newProductId = () => `p${randomBytes(20).toString("base64url").slice(0, 27)}`;
export const newOrderId = () =>
  `${randomInt(1_000_000, 9_999_999)}${randomInt(100_000_000, 999_999_999)}${randomInt(100, 999)}`;

export interface Product extends Omit<ShopProductTable, "body" | "stock"> {
  body: Record<string, unknown>;
  stock: Record<string, number>;
}

export async function getProduct(db: Db, appid: string, id: string): Promise<Product | undefined> {
  const r = await db
    .selectFrom("shop_products")
    .selectAll()
    .where("appid", "=", appid)
    .where("product_id", "=", id)
    .executeTakeFirst();
  return (
    r && {
      ...r,
      created_at: Number(r.created_at),
      body: parseJsonColumn(r.body, {}),
      stock: parseJsonColumn(r.stock, {}),
    }
  );
}

/** The stock map a product definition implies: one entry per sku_list item, or "" for none. */
export function stockOf(body: Record<string, unknown>): Record<string, number> {
  const list = Array.isArray(body.sku_list) ? (body.sku_list as Array<Record<string, unknown>>) : [];
  const stock: Record<string, number> = {};
  for (const s of list) stock[String(s.sku_id ?? "")] = Number(s.quantity ?? 0);
  return list.length ? stock : { "": 0 };
}

export function productInfo(p: Product): Record<string, unknown> {
  const list = Array.isArray(p.body.sku_list) ? (p.body.sku_list as Array<Record<string, unknown>>) : [];
  return {
    ...p.body,
    product_id: p.product_id,
    status: p.status,
    sku_list: list.map((s) => ({ ...s, quantity: p.stock[String(s.sku_id ?? "")] ?? 0 })),
  };
}
