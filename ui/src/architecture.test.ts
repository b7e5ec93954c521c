// The UI's one rule of structure: only lib/ipc talks to the Rust side.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|svelte)$/.test(entry.name) && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("architecture", () => {
  it("imports @tauri-apps only from lib/ipc", () => {
    const offenders = sources(root)
      .filter((path) => !relative(root, path).startsWith(join("lib", "ipc")))
      .filter((path) => /from\s+["']@tauri-apps\//.test(readFileSync(path, "utf8")))
      .map((path) => relative(root, path));
    expect(offenders).toEqual([]);
    expect(sources(join(root, "lib", "ipc")).length).toBeGreaterThan(0);
  });
});
