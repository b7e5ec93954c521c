// Rules the compiler cannot check: no module imports one that imports it back, and no promise
// is left without someone to handle its failure.
import tseslint from "typescript-eslint";
import svelte from "eslint-plugin-svelte";
import svelteParser from "svelte-eslint-parser";
import { importX } from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import svelteConfig from "./svelte.config.js";

const typed = { projectService: true, tsconfigRootDir: import.meta.dirname };

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "src/lib/ipc/bindings.ts", "*.config.js", "*.config.ts"] },
  ...svelte.configs.base,
  {
    files: ["**/*.ts"],
    languageOptions: { parser: tseslint.parser, parserOptions: typed },
  },
  {
    files: ["**/*.svelte", "**/*.svelte.ts"],
    languageOptions: {
      parser: svelteParser,
      parserOptions: {
        ...typed,
        parser: tseslint.parser,
        extraFileExtensions: [".svelte"],
        svelteConfig,
      },
    },
  },
  {
    files: ["**/*.ts", "**/*.svelte"],
    plugins: { "@typescript-eslint": tseslint.plugin, "import-x": importX },
    settings: {
      "import-x/resolver-next": [createTypeScriptImportResolver()],
      "import-x/extensions": [".ts", ".svelte", ".js"],
      // A module imported is read as TypeScript, whoever imports it. Components are not
      // followed (their parser cannot be handed TypeScript's from here): cycles are found among
      // the modules of lib/, which import no component.
      "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
      "import-x/ignore": ["\\.svelte$"],
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "import-x/no-cycle": "error",
    },
  },
);
