/**
 * The catalog's docs reach the client: hovering `client.<group>.<name>` in an editor shows the
 * entry's JSDoc (WeChat's doc title, an English summary, the spec section). Checked through the
 * TypeScript language service on a scratch file, for every endpoint of the catalog.
 */
import { fileURLToPath } from "node:url";
import { catalog } from "@mpstack/protocol";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const scratch = fileURLToPath(new URL("./hover-scratch.ts", import.meta.url));

function languageService(source: string): ts.LanguageService {
  const configPath = ts.findConfigFile(root, ts.sys.fileExists, "tsconfig.json") ?? "";
  const config = ts.parseJsonConfigFileContent(
    ts.readConfigFile(configPath, ts.sys.readFile).config,
    ts.sys,
    root,
  );
  const read = (file: string) => (file === scratch ? source : ts.sys.readFile(file));
  return ts.createLanguageService({
    getScriptFileNames: () => [scratch],
    getScriptVersion: () => "1",
    getScriptSnapshot: (file) => {
      const text = read(file);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => root,
    getCompilationSettings: () => config.options,
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    fileExists: (file) => file === scratch || ts.sys.fileExists(file),
    readFile: read,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  });
}

describe("hover docs of client methods", () => {
  it("show each endpoint's WeChat title, summary and spec section", () => {
    const calls = Object.entries(catalog).flatMap(([group, entries]) =>
      Object.keys(entries).map((name) => `${group}.${name}`),
    );
    const source = [
      'import { createClient } from "../src/index.js";',
      'const client = createClient({ appId: "wx1", appSecret: "s" });',
      ...calls.map((call) => `void client.${call};`),
    ].join("\n");
    const service = languageService(source);
    for (const call of calls) {
      const [group = "", name = ""] = call.split(".");
      const position = source.indexOf(`client.${call};`) + `client.${group}.`.length;
      const info = service.getQuickInfoAtPosition(scratch, position);
      const doc = ts.displayPartsToString(info?.documentation).split("\n");
      const title = (catalog as Record<string, Record<string, { title: string }>>)[group]?.[name]?.title;
      expect(doc[0], call).toBe(title);
      expect(doc.length, call).toBeGreaterThanOrEqual(5);
      expect(doc.at(-1), call).toMatch(/^See spec\/[a-z-]+\.md §[\d.]+\.$/);
    }
  }, 60_000);
});
