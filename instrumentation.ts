// Runs once when the Next.js server starts: validate config, open the database (taking the
// embedded database's lock, so a second server on the same DATA_DIR stops here with a clear message)
// and apply pending migrations before the first request is served.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("@/lib/server-start");
  await startServer();
}
