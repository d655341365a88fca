/**
 * The platform's modules. Order here does not matter for correctness: the platform orders them by
 * what each `requires` (module-graph.ts) and keeps this order where the graph leaves a choice.
 * To add a module, add ONE line (see README.md "How to add a module").
 */
import type { PlatformModule } from "../module.js";
import { accountsModule } from "./accounts/index.js";
import { basicsModule } from "./basics/index.js";
import { cardsModule } from "./cards/index.js";
import { consoleUiModule } from "./console-ui/index.js";
import { conversationsModule } from "./conversations/index.js";
import { coreModule } from "./core/index.js";
import { customerServiceModule } from "./customer-service/index.js";
import { deviceModule } from "./device/index.js";
import { eventStreamModule } from "./event-stream/index.js";
import { followerTagsModule } from "./follower-tags/index.js";
import { followersModule } from "./followers/index.js";
import { invoiceModule } from "./invoice/index.js";
import { jssdkModule } from "./jssdk/index.js";
import { kfModule } from "./kf/index.js";
import { locationModule } from "./location/index.js";
import { massModule } from "./mass/index.js";
import { materialRefsModule } from "./material-refs/index.js";
import { materialsModule } from "./materials/index.js";
import { menuModule } from "./menu/index.js";
import { oauthModule } from "./oauth/index.js";
import { payModule } from "./pay/index.js";
import { pushModule } from "./push/index.js";
import { qrcodeModule } from "./qrcode/index.js";
import { semanticModule } from "./semantic/index.js";
import { shopModule } from "./shop/index.js";
import { simulatedUsersModule } from "./simulated-users/index.js";
import { subscribeMessagesModule } from "./subscribe-messages/index.js";
import { templatesModule } from "./templates/index.js";
import { tokensModule } from "./tokens/index.js";
import { webIdentityModule } from "./web-identity/index.js";

export const modules: PlatformModule[] = [
  coreModule,
  accountsModule,
  tokensModule,
  basicsModule,
  simulatedUsersModule,
  conversationsModule,
  followerTagsModule,
  followersModule,
  pushModule,
  menuModule,
  qrcodeModule,
  locationModule,
  customerServiceModule,
  webIdentityModule,
  templatesModule,
  subscribeMessagesModule,
  kfModule,
  materialsModule,
  materialRefsModule,
  massModule,
  eventStreamModule,
  consoleUiModule,
  oauthModule,
  jssdkModule,
  payModule,
  cardsModule,
  semanticModule,
  shopModule,
  deviceModule,
  invoiceModule,
];
