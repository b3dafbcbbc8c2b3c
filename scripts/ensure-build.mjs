// prestart: build the app when there is no build yet or the sources changed since the last one,
// so `npm install && npm start` works on a fresh clone and after a pull.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const BUILD_ID = path.join(".next", "BUILD_ID");
const SOURCES = [
  "app",
  "components",
  "lib",
  "instrumentation.ts",
  "next.config.js",
  "package-lock.json",
  "postcss.config.mjs",
];
const SKIP = new Set(["node_modules", ".next", "generated"]);

function newestMtime(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(p)) {
    if (!SKIP.has(entry)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

const builtAt = fs.existsSync(BUILD_ID) ? fs.statSync(BUILD_ID).mtimeMs : 0;
const changedAt = Math.max(...SOURCES.map(newestMtime));
if (builtAt === 0 || changedAt > builtAt) {
  console.log(builtAt === 0 ? "No build yet: building the app…" : "Sources changed since the last build: rebuilding…");
  execFileSync(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "build"], {
    stdio: "inherit",
  });
}
