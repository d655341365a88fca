/**
 * The config file as the platform reads it: JSON, or YAML for `.yaml`/`.yml`, checked section by
 * section by the modules that own the sections (in module-graph order), with one message naming
 * the first bad field. This sits above the modules (it needs their list); config/ holds the shared
 * checking mechanism.
 */
import { readFileSync } from "node:fs";
import { ConfigError, readConfig } from "./config/check.js";
import type { PlatformConfig } from "./config/types.js";
import type { PlatformModule } from "./module.js";
import { orderModules } from "./module-graph.js";
import { modules as defaultModules } from "./modules/index.js";

/** Check a parsed config against the sections of `modules` (default: all of them). */
export function validateConfig(
  raw: unknown,
  modules: readonly PlatformModule[] = defaultModules,
): PlatformConfig {
  return readConfig(
    raw,
    orderModules(modules).flatMap((m) => m.config),
  );
}

/** The config of an empty world (every section absent). */
export function emptyConfig(modules: readonly PlatformModule[] = defaultModules): PlatformConfig {
  return validateConfig({}, modules);
}

export async function loadConfigFile(
  file: string,
  modules?: readonly PlatformModule[],
): Promise<PlatformConfig> {
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
  return validateConfig(raw, modules);
}
