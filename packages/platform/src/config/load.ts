/** Reading a config file: JSON, or YAML for `.yaml`/`.yml` files. */
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import type { PlatformConfig } from "./types.js";
import { ConfigError, validateConfig } from "./validate.js";

export function loadConfigFile(file: string): PlatformConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError(file, `cannot read (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new ConfigError(
      file,
      `not valid ${/\.ya?ml$/i.test(file) ? "YAML" : "JSON"}: ${(err as Error).message.split("\n")[0]}`,
    );
  }
  return validateConfig(raw);
}
