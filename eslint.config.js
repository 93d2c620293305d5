import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "chameleon-data/", "bench/peers/node_modules/", "scratch/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression[callee.name='eval']", message: "No code evaluation." },
        { selector: "NewExpression[callee.name='Function']", message: "No code evaluation." },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  // The console: the rules of hooks (a hook's dependencies are what it reads).
  { files: ["console/**/*.tsx"], ...reactHooks.configs.flat.recommended },
);
