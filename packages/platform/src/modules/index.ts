/**
 * The platform's modules, in order. Migrations run in this order (module by module, each
 * module's list in its own order), then each module's `setup`. To add a module, add ONE line at
 * the end of the list (see README.md "How to add a module").
 */
import type { PlatformModule } from "../context.js";
import { accountsModule } from "./accounts/index.js";
import { basicsModule } from "./basics/index.js";
import { conversationsModule } from "./conversations/index.js";
import { coreModule } from "./core/index.js";
import { customerServiceModule } from "./customer-service/index.js";
import { locationModule } from "./location/index.js";
import { menuModule } from "./menu/index.js";
import { pushModule } from "./push/index.js";
import { qrcodeModule } from "./qrcode/index.js";
import { tagsModule } from "./tags/index.js";
import { tokensModule } from "./tokens/index.js";
import { userApiModule } from "./user-api/index.js";
import { usersModule } from "./users/index.js";

export const modules: PlatformModule[] = [
  coreModule,
  accountsModule,
  tokensModule,
  basicsModule,
  usersModule,
  conversationsModule,
  pushModule,
  menuModule,
  qrcodeModule,
  locationModule,
  customerServiceModule,
  tagsModule,
  userApiModule,
];
