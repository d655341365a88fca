/**
 * The 2014 WeChat Shop API (微信小店, spec/applied-features.md §2): products, categories, stock and
 * orders — the core subset. Prices are in fen. Every call needs the `shop` row (verified service
 * accounts with the shop feature granted). Success answers carry `errmsg: "success"`.
 */
import { Type } from "@sinclair/typebox";
import { Ok, OkWith } from "../schemas.js";
import { endpoint, group } from "./endpoint.js";
import { AnyObject, OpenObject } from "./open.js";

const ProductId = Type.String({ minLength: 1, maxLength: 64 });
const OrderId = Type.String({ minLength: 1, maxLength: 64 });
const Loose = AnyObject;
const post = { method: "POST", host: "api", permission: "shop" } as const;

export const merchant = group("merchant", {
  /**
   * 增加商品
   *
   * Create a product (product_base, sku_list, attrext, delivery_info); returns its product_id.
   *
   * See spec/applied-features.md §2.
   */
  create: endpoint({
    ...post,
    title: "增加商品",
    path: "/merchant/create",
    request: OpenObject({ product_base: Loose }),
    response: OkWith({ product_id: Type.String() }),
  }),
  /**
   * 删除商品
   *
   * Delete a product.
   *
   * See spec/applied-features.md §2.
   */
  del: endpoint({
    ...post,
    title: "删除商品",
    path: "/merchant/del",
    request: Type.Object({ product_id: ProductId }),
    response: Ok,
  }),
  /**
   * 修改商品
   *
   * Replace a product's definition (product_id + the create fields).
   *
   * See spec/applied-features.md §2.
   */
  update: endpoint({
    ...post,
    title: "修改商品",
    path: "/merchant/update",
    request: OpenObject({ product_id: ProductId }),
    response: Ok,
  }),
  /**
   * 查询商品
   *
   * One product.
   *
   * See spec/applied-features.md §2.
   */
  get: endpoint({
    ...post,
    title: "查询商品",
    path: "/merchant/get",
    request: Type.Object({ product_id: ProductId }),
    response: OkWith({ product_info: Loose }),
  }),
  /**
   * 获取指定状态的所有商品
   *
   * Products by status: 0 all, 1 on shelf, 2 off shelf.
   *
   * See spec/applied-features.md §2.
   */
  getByStatus: endpoint({
    ...post,
    title: "获取指定状态的所有商品",
    path: "/merchant/getbystatus",
    request: Type.Object({ status: Type.Integer({ minimum: 0, maximum: 2 }) }),
    response: OkWith({ products_info: Type.Array(Loose) }),
  }),
  /**
   * 商品上下架
   *
   * Put a product on (1) or off (2) the shelf.
   *
   * See spec/applied-features.md §2.
   */
  modProductStatus: endpoint({
    ...post,
    title: "商品上下架",
    path: "/merchant/modproductstatus",
    request: Type.Object({ product_id: ProductId, status: Type.Integer({ minimum: 1, maximum: 2 }) }),
    response: Ok,
  }),
  /**
   * 获取指定分类的所有子分类
   *
   * Sub-categories of a category (1 = the root).
   *
   * See spec/applied-features.md §2.
   */
  getSubCategories: endpoint({
    ...post,
    title: "获取指定分类的所有子分类",
    path: "/merchant/category/getsub",
    request: Type.Object({ cate_id: Type.Union([Type.String(), Type.Integer()]) }),
    response: OkWith({ cate_list: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })) }),
  }),
  /**
   * 获取指定子分类的所有SKU
   *
   * The SKU table of a leaf category.
   *
   * See spec/applied-features.md §2.
   */
  getCategorySku: endpoint({
    ...post,
    title: "获取指定子分类的所有SKU",
    path: "/merchant/category/getsku",
    request: Type.Object({ cate_id: Type.Union([Type.String(), Type.Integer()]) }),
    response: OkWith({ sku_table: Type.Array(Loose) }),
  }),
  /**
   * 获取指定分类的所有属性
   *
   * The properties of a leaf category.
   *
   * See spec/applied-features.md §2.
   */
  getCategoryProperty: endpoint({
    ...post,
    title: "获取指定分类的所有属性",
    path: "/merchant/category/getproperty",
    request: Type.Object({ cate_id: Type.Union([Type.String(), Type.Integer()]) }),
    response: OkWith({ properties: Type.Array(Loose) }),
  }),
  /**
   * 增加库存
   *
   * Add stock to a product's SKU (`sku_info` "" for a product without SKUs).
   *
   * See spec/applied-features.md §2.
   */
  addStock: endpoint({
    ...post,
    title: "增加库存",
    path: "/merchant/stock/add",
    request: Type.Object({
      product_id: ProductId,
      sku_info: Type.String({ maxLength: 512 }),
      quantity: Type.Integer({ minimum: 1 }),
    }),
    response: Ok,
  }),
  /**
   * 减少库存
   *
   * Take stock from a product's SKU.
   *
   * See spec/applied-features.md §2.
   */
  reduceStock: endpoint({
    ...post,
    title: "减少库存",
    path: "/merchant/stock/reduce",
    request: Type.Object({
      product_id: ProductId,
      sku_info: Type.String({ maxLength: 512 }),
      quantity: Type.Integer({ minimum: 1 }),
    }),
    response: Ok,
  }),
  /**
   * 根据订单ID获取订单详情
   *
   * One order.
   *
   * See spec/applied-features.md §2.
   */
  getOrder: endpoint({
    ...post,
    title: "根据订单ID获取订单详情",
    path: "/merchant/order/getbyid",
    request: Type.Object({ order_id: OrderId }),
    response: OkWith({ order: Loose }),
  }),
  /**
   * 根据订单状态/创建时间获取订单详情
   *
   * Orders by status (2 to ship, 3 shipped, 5 done, 8 in dispute) and creation time (Unix seconds).
   *
   * See spec/applied-features.md §2.
   */
  getOrdersByFilter: endpoint({
    ...post,
    title: "根据订单状态/创建时间获取订单详情",
    path: "/merchant/order/getbyfilter",
    request: Type.Object({
      status: Type.Optional(Type.Integer()),
      begintime: Type.Optional(Type.Integer()),
      endtime: Type.Optional(Type.Integer()),
    }),
    response: OkWith({ order_list: Type.Array(Loose) }),
  }),
  /**
   * 设置订单发货信息
   *
   * Mark an order shipped (with the carrier and tracking number, or need_delivery 0).
   *
   * See spec/applied-features.md §2.
   */
  setDelivery: endpoint({
    ...post,
    title: "设置订单发货信息",
    path: "/merchant/order/setdelivery",
    request: Type.Object({
      order_id: OrderId,
      delivery_company: Type.Optional(Type.String({ maxLength: 64 })),
      delivery_track_no: Type.Optional(Type.String({ maxLength: 64 })),
      need_delivery: Type.Optional(Type.Integer({ minimum: 0, maximum: 1 })),
      is_others: Type.Optional(Type.Integer({ minimum: 0, maximum: 1 })),
    }),
    response: Ok,
  }),
  /**
   * 关闭订单
   *
   * Close an order that has not shipped.
   *
   * See spec/applied-features.md §2.
   */
  closeOrder: endpoint({
    ...post,
    title: "关闭订单",
    path: "/merchant/order/close",
    request: Type.Object({ order_id: OrderId }),
    response: Ok,
  }),
});
