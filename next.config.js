/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native, wasm and worker-thread packages are loaded from node_modules at run time, not bundled:
  // bundling breaks their file lookups (.wasm, .node, PGlite's data files, tsx worker entries).
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@prisma/adapter-pg",
    "@prisma/client",
    "pg",
    "sharp",
    "@tensorflow/tfjs",
    "@tensorflow/tfjs-core",
    "@tensorflow/tfjs-backend-wasm",
    "@tensorflow/tfjs-backend-cpu",
    "@tensorflow/tfjs-node",
    "pino",
    "@node-rs/argon2",
    "tsx",
  ],
  poweredByHeader: false,
  // `npm run typecheck` (tsc) checks the whole project in CI; the build need not do it twice.
  typescript: { ignoreBuildErrors: true },
  reactStrictMode: true,
  experimental: {
    // Uploads are streamed and capped by our own handler (lib/env MAX_REQUEST_BYTES).
    serverActions: { bodySizeLimit: "2mb" },
  },
};

export default nextConfig;
