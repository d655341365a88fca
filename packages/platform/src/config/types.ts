/**
 * The world a config file declares, after validation and defaults. Each top-level section belongs
 * to one module, which declares its key here by augmentation and reads it with a `ConfigSection`:
 *
 * ```ts
 * declare module "../../config/types.js" {
 *   interface PlatformConfig { accounts: AccountConfig[] }
 * }
 * ```
 *
 * The core's own section is `policies` (global policies, see policies.ts). See README "Config file".
 */
import type { Policies } from "./policies.js";

export interface PlatformConfig {
  /** Global policies (see config/policies.ts). */
  policies: Partial<Policies>;
}

/**
 * A top-level section of the config file, owned by one module: `read` turns the raw value
 * (undefined when absent) into its typed, defaulted form, or throws a ConfigError naming the
 * field. `sofar` holds the sections read before it (those of the modules this one requires).
 */
export interface ConfigSection {
  readonly key: string;
  read(raw: unknown, sofar: Readonly<Record<string, unknown>>): unknown;
}

/** Declare a section with its value typed by `PlatformConfig`. */
export function configSection<K extends keyof PlatformConfig>(
  key: K,
  read: (raw: unknown, sofar: Readonly<Partial<PlatformConfig>>) => PlatformConfig[K],
): ConfigSection {
  return { key, read: (raw, sofar) => read(raw, sofar as Partial<PlatformConfig>) };
}
