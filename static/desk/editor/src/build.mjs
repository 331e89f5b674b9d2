// Builds the body editor from this folder into static/desk/editor/: editor.js and
// editor.css, committed so that running and testing the site need no build step, and
// LICENSES.txt, the licences of the npm packages bundled into them. A bundled package
// under any licence but MIT, BSD or ISC stops the build.
//
//   npm run build:editor            writes the files
//   npm run build:editor -- --check fails if the committed files are not what the
//                                   sources and package-lock.json build
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const SOURCES = dirname(fileURLToPath(import.meta.url));
const ROOT = join(SOURCES, "..", "..", "..", "..");
const OUT = join(SOURCES, "..");
const ALLOWED_LICENCES = /^(MIT|ISC|BSD-2-Clause|BSD-3-Clause|0BSD)$/;

function packageOf(input) {
  const parts = input.split("/");
  const at = parts.lastIndexOf("node_modules");
  if (at < 0) {
    return null;
  }
  return parts[at + 1].startsWith("@") ? parts.slice(at + 1, at + 3).join("/") : parts[at + 1];
}

function licenceText(directory) {
  const file = readdirSync(directory).find((name) => /^(licen[cs]e|copying)/i.test(name));
  if (!file) {
    throw new Error(`${directory} ships no licence file`);
  }
  return readFileSync(join(directory, file), "utf8").trim();
}

const result = await esbuild.build({
  absWorkingDir: ROOT,
  entryPoints: { editor: relative(ROOT, join(SOURCES, "index.js")) },
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  legalComments: "none",
  outdir: relative(ROOT, OUT),
  metafile: true,
  write: false,
  logLevel: "warning",
});

const names = [...new Set(Object.keys(result.metafile.inputs).map(packageOf).filter(Boolean))];
const bundled = names.sort().map((name) => {
  const directory = join(ROOT, "node_modules", name);
  const manifest = JSON.parse(readFileSync(join(directory, "package.json"), "utf8"));
  if (!ALLOWED_LICENCES.test(manifest.license || "")) {
    throw new Error(`${name} is licensed ${manifest.license}: only MIT, BSD or ISC may be bundled`);
  }
  const { version, license } = manifest;
  return { name, version, licence: license, text: licenceText(directory) };
});

const list = bundled.map((p) => `${p.name} ${p.version} (${p.licence})`).join(", ");
const banner =
  "/* Newsroom's body editor, built by `npm run build:editor` from static/desk/editor/src/." +
  ` Bundles ${list}; their licences are in LICENSES.txt beside this file. */\n`;
const files = Object.fromEntries(
  result.outputFiles.map((file) => [file.path, banner + file.text]),
);
files[join(OUT, "LICENSES.txt")] =
  "The npm packages bundled into editor.js and editor.css, and their licences.\n\n" +
  bundled.map((p) => `${p.name} ${p.version} (${p.licence})\n\n${p.text}\n`).join("\n");

if (process.argv.includes("--check")) {
  const stale = Object.entries(files)
    .filter(([path, text]) => {
      try {
        return readFileSync(path, "utf8") !== text;
      } catch {
        return true;
      }
    })
    .map(([path]) => relative(ROOT, path));
  if (stale.length) {
    console.error(`Not built from the sources: ${stale.join(", ")}. Run npm run build:editor.`);
    process.exit(1);
  }
} else {
  Object.entries(files).forEach(([path, text]) => writeFileSync(path, text));
}
