// The UI's one rule of structure: only lib/ipc talks to the Rust side.
import { describe, expect, it } from "vitest";

// Every source file's text, by path relative to src/ ("./lib/ipc/index.ts").
const sources = import.meta.glob<string>(["./**/*.ts", "./**/*.svelte", "!./**/*.test.ts"], {
  query: "?raw",
  import: "default",
  eager: true,
});

describe("architecture", () => {
  it("imports @tauri-apps only from lib/ipc", () => {
    const paths = Object.keys(sources);
    const offenders = paths
      .filter((path) => !path.startsWith("./lib/ipc/"))
      .filter((path) => /from\s+["']@tauri-apps\//.test(sources[path] ?? ""));
    expect(offenders).toEqual([]);
    expect(paths).toContain("./lib/ipc/index.ts");
    expect(paths.length).toBeGreaterThan(5);
  });
});
