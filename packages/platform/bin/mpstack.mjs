#!/usr/bin/env node
/**
 * The `mpstack` command. npm links a package's bin when it installs it, before the repository's
 * `prepare` builds anything, so the bin is this small file kept in git; it loads the CLI bundle
 * (dist/mpstack.mjs, one file: it starts in a fraction of the time of the compiled tree).
 */
import { existsSync } from "node:fs";

const bundle = new URL("../dist/mpstack.mjs", import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write(
    "mpstack: the platform is not built (dist/mpstack.mjs is missing): run `npm run build` in the repository\n",
  );
  process.exit(1);
}
await import(bundle.href);
