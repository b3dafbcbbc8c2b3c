import "server-only";
import type { ReviewerRole } from "@/lib/db/generated/enums";
import { AppError } from "@/lib/errors";
import { type CookieSource, readSessionToken } from "./cookies";
import { findViewerByToken, type Viewer } from "./sessions";

export type { Viewer } from "./sessions";

/** The signed-in reviewer, or null. */
export async function getViewer(source: CookieSource): Promise<Viewer | null> {
  const token = readSessionToken(source);
  return token ? findViewerByToken(token) : null;
}

/** True when a viewer's role includes the required one (admins can do everything reviewers can). */
export function hasRole(viewer: Pick<Viewer, "role">, role: ReviewerRole): boolean {
  return role === "reviewer" || viewer.role === "admin";
}

/**
 * The signed-in reviewer; throws unauthenticated (401) without a valid session and forbidden (403)
 * when the role is insufficient. Every admin handler, action and page calls it itself.
 */
export async function requireReviewer(source: CookieSource, options: { role?: ReviewerRole } = {}): Promise<Viewer> {
  const viewer = await getViewer(source);
  if (!viewer) throw new AppError("unauthenticated", "Sign in to continue.");
  if (options.role && !hasRole(viewer, options.role)) {
    throw new AppError("forbidden", "Your account is not allowed to do this.");
  }
  return viewer;
}
