/**
 * Glue between the menu and the materials: a permanent material a menu button shows
 * (`media_id` / `view_limited`) may not be deleted (del_material answers 48005, material.md §3.4).
 * A module of its own so that neither of the two needs the other.
 */
import { defineModule } from "../../module.js";
import { listMenus } from "../menu/index.js";

export const materialRefsModule = defineModule({
  name: "material-refs",
  requires: ["materials", "menu"],
  setup(ctx) {
    ctx.services.materials.addInUseCheck(async (appid, mediaId) => {
      const { main, conditional } = await listMenus(ctx.db, appid);
      const needle = JSON.stringify(mediaId);
      return [main, ...conditional].some(
        (m) => m && JSON.stringify(m.buttons).includes(`"media_id":${needle}`),
      )
        ? "menu"
        : null;
    });
  },
});
