/**
 * The 2014 WeChat Shop (微信小店, spec/applied-features.md §2): products, categories, stock and
 * orders on `/merchant/*`, buyers' orders placed through the simulator with the `merchant_order`
 * event pushed, and the JS-SDK `openProductSpecificView` answered on the bridge (bridge.ts). Unknown
 * products and orders, and stock below zero, answer 40097 `invalid args` (the spec establishes no
 * shop-specific codes).
 */
import { catalog, ErrorCode, mayCall } from "@mpstack/protocol";
import { Type } from "@sinclair/typebox";
import { WechatApiError } from "../../http/errors.js";
import { conflict, notFound } from "../../http/simulator.js";
import { defineModule } from "../../module.js";
import { getAccount, requireAccount } from "../accounts/index.js";
import { ensureIdentity, requireUser } from "../simulated-users/index.js";
import { shopBridgeHandler } from "./bridge.js";
import {
  CATEGORIES,
  getProduct,
  newOrderId,
  newProductId,
  PROPERTIES,
  productInfo,
  type ShopOrderTable,
  SKU_TABLE,
  shopMigrations,
  stockOf,
} from "./store.js";

const success = <T extends Record<string, unknown>>(f?: T) => ({
  errcode: 0,
  errmsg: "success",
  ...(f as T),
});
const invalid = () => new WechatApiError(ErrorCode.InvalidArgs);

export interface ShopServices {
  /** `wx.openProductSpecificView({ productId, viewType })` of a page of `appid`. */
  openProduct(
    userId: string,
    appid: string,
    productId: string,
  ): Promise<{ errMsg: string; product?: Record<string, unknown> }>;
}

declare module "../../module.js" {
  interface ModuleServices {
    shop: ShopServices;
  }
}

function orderView(o: ShopOrderTable) {
  const data = JSON.parse(o.data) as Record<string, unknown>;
  return {
    order_id: o.order_id,
    order_status: o.status,
    order_total_price: Number(o.price) * o.count,
    order_create_time: Math.floor(Number(o.created_at) / 1000),
    order_express_price: 0,
    buyer_openid: o.openid,
    product_id: o.product_id,
    product_price: Number(o.price),
    product_sku: o.sku_info,
    product_count: o.count,
    ...data,
  };
}

export const shopModule = defineModule({
  name: "shop",
  requires: ["accounts", "simulated-users", "push", "jssdk"],
  migrations: shopMigrations,
  setup(ctx): ShopServices {
    const m = catalog.merchant;
    const product = async (appid: string, id: string) =>
      (await getProduct(ctx.db, appid, id)) ?? Promise.reject(invalid());
    const saveStock = (id: string, stock: Record<string, number>) =>
      ctx.db
        .updateTable("shop_products")
        .set({ stock: JSON.stringify(stock) })
        .where("product_id", "=", id)
        .execute();
    const order = async (appid: string, id: string) =>
      (await ctx.db
        .selectFrom("shop_orders")
        .selectAll()
        .where("appid", "=", appid)
        .where("order_id", "=", id)
        .executeTakeFirst()) ?? Promise.reject(invalid());

    ctx.implement(m.create, async (call) => {
      const body = call.input as Record<string, unknown>;
      const base = body.product_base as Record<string, unknown>;
      if (typeof base.name !== "string" || base.name === "" || !Array.isArray(base.category_id))
        throw invalid();
      const product_id = newProductId();
      await ctx.db
        .insertInto("shop_products")
        .values({
          product_id,
          appid: call.account.appid,
          body: JSON.stringify(body),
          status: 2,
          stock: JSON.stringify(stockOf(body)),
          created_at: call.now,
        })
        .execute();
      return success({ product_id });
    });
    ctx.implement(m.del, async (call) => {
      await product(call.account.appid, call.input.product_id);
      await ctx.db.deleteFrom("shop_products").where("product_id", "=", call.input.product_id).execute();
      return success();
    });
    ctx.implement(m.update, async (call) => {
      const p = await product(call.account.appid, call.input.product_id);
      const { product_id: _id, ...body } = call.input as Record<string, unknown>;
      await ctx.db
        .updateTable("shop_products")
        .set({
          body: JSON.stringify({ ...p.body, ...body }),
          stock: JSON.stringify({ ...stockOf(body), ...p.stock }),
        })
        .where("product_id", "=", p.product_id)
        .execute();
      return success();
    });
    ctx.implement(m.get, async (call) =>
      success({ product_info: productInfo(await product(call.account.appid, call.input.product_id)) }),
    );
    ctx.implement(m.getByStatus, async (call) => {
      let q = ctx.db.selectFrom("shop_products").select("product_id").where("appid", "=", call.account.appid);
      if (call.input.status !== 0) q = q.where("status", "=", call.input.status);
      const ids = await q.orderBy("created_at").execute();
      const list = [];
      for (const { product_id } of ids) list.push(productInfo(await product(call.account.appid, product_id)));
      return success({ products_info: list });
    });
    ctx.implement(m.modProductStatus, async (call) => {
      await product(call.account.appid, call.input.product_id);
      await ctx.db
        .updateTable("shop_products")
        .set({ status: call.input.status })
        .where("product_id", "=", call.input.product_id)
        .execute();
      return success();
    });
    ctx.implement(m.getSubCategories, async (call) => {
      const list = CATEGORIES[String(call.input.cate_id)];
      if (!list) throw invalid();
      return success({ cate_list: list });
    });
    ctx.implement(m.getCategorySku, async () => success({ sku_table: SKU_TABLE }));
    ctx.implement(m.getCategoryProperty, async () => success({ properties: PROPERTIES }));
    const stock =
      (sign: 1 | -1) =>
      async (call: {
        account: { appid: string };
        input: { product_id: string; sku_info: string; quantity: number };
      }) => {
        const p = await product(call.account.appid, call.input.product_id);
        if (!(call.input.sku_info in p.stock)) throw invalid();
        const next = (p.stock[call.input.sku_info] ?? 0) + sign * call.input.quantity;
        if (next < 0) throw invalid();
        await saveStock(p.product_id, { ...p.stock, [call.input.sku_info]: next });
        return success();
      };
    ctx.implement(m.addStock, stock(1));
    ctx.implement(m.reduceStock, stock(-1));
    ctx.implement(m.getOrder, async (call) =>
      success({ order: orderView(await order(call.account.appid, call.input.order_id)) }),
    );
    ctx.implement(m.getOrdersByFilter, async (call) => {
      let q = ctx.db.selectFrom("shop_orders").selectAll().where("appid", "=", call.account.appid);
      if (call.input.status !== undefined) q = q.where("status", "=", call.input.status);
      if (call.input.begintime !== undefined) q = q.where("created_at", ">=", call.input.begintime * 1000);
      if (call.input.endtime !== undefined) q = q.where("created_at", "<=", call.input.endtime * 1000);
      return success({ order_list: (await q.orderBy("created_at").execute()).map(orderView) });
    });
    ctx.implement(m.setDelivery, async (call) => {
      const o = await order(call.account.appid, call.input.order_id);
      if (o.status !== 2) throw invalid();
      const needs = call.input.need_delivery !== 0;
      if (needs && (!call.input.delivery_company || !call.input.delivery_track_no)) throw invalid();
      const data = {
        ...JSON.parse(o.data),
        delivery_id: call.input.delivery_track_no ?? "",
        delivery_company: call.input.delivery_company ?? "",
      };
      await ctx.db
        .updateTable("shop_orders")
        .set({ status: 3, data: JSON.stringify(data) })
        .where("order_id", "=", o.order_id)
        .execute();
      return success();
    });
    ctx.implement(m.closeOrder, async (call) => {
      const o = await order(call.account.appid, call.input.order_id);
      if (o.status !== 2) throw invalid();
      await ctx.db.updateTable("shop_orders").set({ status: 6 }).where("order_id", "=", o.order_id).execute();
      return success();
    });

    ctx.simulator.route({
      method: "POST",
      url: "/users/:user/shop-orders",
      tag: "shop",
      summary: "The user buys a product on the shelf (stock taken, paid at once); merchant_order is pushed.",
      params: Type.Object({ user: Type.String() }),
      body: Type.Object({
        appid: Type.String(),
        productId: Type.String(),
        skuInfo: Type.Optional(Type.String()),
        count: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
        receiver: Type.Optional(Type.Record(Type.String(), Type.String())),
      }),
      handler: async ({ params, body }) => {
        const user = await requireUser(ctx.db, params.user);
        const account = await requireAccount(ctx.db, body.appid);
        const p = await getProduct(ctx.db, account.appid, body.productId);
        if (!p) throw notFound(`product ${body.productId}`);
        if (p.status !== 1) throw conflict("the product is not on the shelf");
        const sku = body.skuInfo ?? Object.keys(p.stock)[0] ?? "";
        const count = body.count ?? 1;
        const left = p.stock[sku];
        if (left === undefined || left < count) throw conflict("not enough stock");
        const skus = Array.isArray(p.body.sku_list)
          ? (p.body.sku_list as Array<Record<string, unknown>>)
          : [];
        const price = Number(skus.find((s) => s.sku_id === sku)?.price ?? 0);
        await saveStock(p.product_id, { ...p.stock, [sku]: left - count });
        const identity = await ensureIdentity(ctx, account, user.id);
        const base = p.body.product_base as Record<string, unknown>;
        const row: ShopOrderTable = {
          order_id: newOrderId(),
          appid: account.appid,
          product_id: p.product_id,
          sku_info: sku,
          count,
          price,
          user_id: user.id,
          openid: identity.openid,
          status: 2,
          data: JSON.stringify({
            buyer_nick: user.nickname,
            product_name: String(base.name ?? ""),
            product_img: String(base.main_img ?? ""),
            trans_id: `42000${Date.now()}`,
            ...Object.fromEntries(Object.entries(body.receiver ?? {}).map(([k, v]) => [`receiver_${k}`, v])),
          }),
          created_at: ctx.clock.now(),
        };
        await ctx.db.insertInto("shop_orders").values(row).execute();
        const push = await ctx.services.push.send({
          appid: account.appid,
          userId: user.id,
          message: {
            kind: "unknown",
            MsgType: "event",
            Event: "merchant_order",
            ToUserName: account.originalId,
            FromUserName: identity.openid,
            CreateTime: ctx.clock.nowSeconds(),
            fields: { OrderId: row.order_id, OrderStatus: "2", ProductId: p.product_id, SkuInfo: sku },
          },
        });
        return { orderId: row.order_id, pushId: push.pushId, pushStatus: push.status };
      },
    });

    const services: ShopServices = {
      async openProduct(userId, appid, productId) {
        const account = await getAccount(ctx.db, appid);
        const overrides = account ? ctx.policiesFor(account).permissionOverrides : undefined;
        if (!account || !mayCall(account, "jssdk.shop", overrides) || !mayCall(account, "shop", overrides)) {
          return { errMsg: "openProductSpecificView:permission denied" };
        }
        await requireUser(ctx.db, userId);
        const p = await getProduct(ctx.db, appid, productId);
        if (!p) return { errMsg: "openProductSpecificView:fail invalid productId" };
        return { errMsg: "openProductSpecificView:ok", product: productInfo(p) };
      },
    };
    ctx.services.jssdk.registerApi("openProductViewWithPid", shopBridgeHandler(services));
    return services;
  },
});
