import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import type { ReviewerRole } from "@/lib/db/generated/enums";
import { getViewer, hasRole, type Viewer } from "./guard";

/** Only same-site paths may be a post-login destination (no open redirect). */
export function safeNextPath(value: string | undefined | null): string {
  return value && /^\/(?!\/)[^\s\\]*$/.test(value) ? value : "/admin";
}

/**
 * The signed-in reviewer for a server-rendered page; redirects to /login (coming back to `nextPath`)
 * without a session. Returns "forbidden" when the role is insufficient, so the page can say so.
 * Pages are a convenience: the handlers and data they call check again.
 */
export async function requirePageViewer(
  nextPath: string,
  role: ReviewerRole = "reviewer",
): Promise<Viewer | "forbidden"> {
  const viewer = await getViewer(await cookies());
  if (!viewer) redirect(`/login?next=${encodeURIComponent(safeNextPath(nextPath))}`);
  return hasRole(viewer, role) ? viewer : "forbidden";
}
