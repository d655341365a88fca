/** Reading a config file: JSON, or YAML for `.yaml`/`.yml` files. */
import { readFileSync } from "node:fs";
import type { PlatformConfig } from "./types.js";
import { ConfigError, validateConfig } from "./validate.js";

export async function loadConfigFile(file: string): Promise<PlatformConfig> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError(file, `cannot read (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const yaml = /\.ya?ml$/i.test(file);
  // The YAML parser loads only when a YAML file is given (startup time).
  const parseYaml = yaml ? (await import("yaml")).parse : undefined;
  let raw: unknown;
  try {
    raw = parseYaml ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new ConfigError(
      file,
      `not valid ${yaml ? "YAML" : "JSON"}: ${(err as Error).message.split("\n")[0]}`,
    );
  }
  return validateConfig(raw);
}
