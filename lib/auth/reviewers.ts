import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import type { ReviewerRole } from "@/lib/db/generated/enums";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { hashPassword } from "./password";
import type { ReviewerUpdateInput } from "./schemas";
import { revokeReviewerSessions, type Viewer } from "./sessions";

/** What admins see about a reviewer: never the password hash. */
export interface ReviewerSummary {
  id: string;
  email: string;
  name: string;
  role: ReviewerRole;
  disabledAt: Date | null;
  createdAt: Date;
  lastLoginAt: Date | null;
  decisions: number;
}

const SUMMARY_SELECT = {
  id: true,
  email: true,
  name: true,
  role: true,
  disabledAt: true,
  createdAt: true,
  _count: { select: { reviews: true } },
  sessions: { select: { createdAt: true }, orderBy: { createdAt: "desc" as const }, take: 1 },
} as const;

type SummaryRow = {
  id: string;
  email: string;
  name: string;
  role: ReviewerRole;
  disabledAt: Date | null;
  createdAt: Date;
  _count: { reviews: number };
  sessions: { createdAt: Date }[];
};

function toSummary(row: SummaryRow): ReviewerSummary {
  const { _count, sessions, ...rest } = row;
  return { ...rest, decisions: _count.reviews, lastLoginAt: sessions[0]?.createdAt ?? null };
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
}

/** A random password an admin hands over once (96 bits). */
export function generatePassword(): string {
  return randomBytes(12).toString("base64url");
}

export interface CreateReviewerInput {
  email: string;
  name: string;
  role: ReviewerRole;
  password: string;
}

/** Creates a reviewer account; conflict when the email is taken. `actor` is null for CLI and start-up. */
export async function createReviewer(input: CreateReviewerInput, actor: Viewer | null): Promise<ReviewerSummary> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db().$transaction(async (tx) => {
      const row = await tx.reviewer.create({
        data: { email: input.email, name: input.name, role: input.role, passwordHash },
        select: SUMMARY_SELECT,
      });
      await tx.auditEvent.create({
        data: {
          actorId: actor?.id,
          actorKind: actor ? "reviewer" : "system",
          action: "reviewer.create",
          after: { reviewerId: row.id, email: row.email, role: row.role },
        },
      });
      return toSummary(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError("conflict", `A reviewer with the email ${input.email} already exists.`, { field: "email" });
    }
    throw err;
  }
}

/** Every reviewer, admins first, then by name. */
export async function listReviewers(): Promise<ReviewerSummary[]> {
  const rows = await db().reviewer.findMany({ select: SUMMARY_SELECT, orderBy: [{ role: "desc" }, { name: "asc" }] });
  return rows.map(toSummary);
}

/**
 * Changes a reviewer's role, disables/enables them or resets their password (returned once).
 * Disabling and resetting revoke the reviewer's sessions. Admins cannot demote or disable themselves,
 * so an install never loses its last way in by accident.
 */
export async function updateReviewer(
  id: string,
  change: ReviewerUpdateInput,
  actor: Viewer,
): Promise<{ reviewer: ReviewerSummary; password?: string }> {
  if (id === actor.id && (change.disabled === true || change.role === "reviewer")) {
    throw new AppError("conflict", "You cannot disable or demote your own account.");
  }
  const password = change.resetPassword ? generatePassword() : undefined;
  const passwordHash = password ? await hashPassword(password) : undefined;
  const reviewer = await db().$transaction(async (tx) => {
    const before = await tx.reviewer.findUnique({ where: { id }, select: { role: true, disabledAt: true } });
    if (!before) throw new AppError("not_found", "No such reviewer.");
    const disabledAt =
      change.disabled === undefined ? undefined : change.disabled ? (before.disabledAt ?? new Date()) : null;
    const row = await tx.reviewer.update({
      where: { id },
      data: { role: change.role, disabledAt, passwordHash },
      select: SUMMARY_SELECT,
    });
    await tx.auditEvent.create({
      data: {
        actorId: actor.id,
        actorKind: "reviewer",
        action: "reviewer.update",
        before: { reviewerId: id, role: before.role, disabled: before.disabledAt !== null },
        after: { reviewerId: id, role: row.role, disabled: row.disabledAt !== null, passwordReset: Boolean(password) },
      },
    });
    return toSummary(row);
  });
  if (change.disabled || password) await revokeReviewerSessions(id);
  return { reviewer, password };
}

/**
 * On a fresh install (no reviewer at all), creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD.
 * Safe when several instances start at once: the email is unique, the losers see a conflict and move on.
 */
export async function ensureFirstAdmin(): Promise<"created" | "exists" | "not_configured"> {
  const env = getEnv();
  if (!env.ADMIN_EMAIL || !env.ADMIN_PASSWORD) return "not_configured";
  if ((await db().reviewer.count()) > 0) return "exists";
  try {
    const email = env.ADMIN_EMAIL.trim().toLowerCase();
    await createReviewer({ email, name: "Admin", role: "admin", password: env.ADMIN_PASSWORD }, null);
    logger().info({ email }, "first admin created from ADMIN_EMAIL");
    return "created";
  } catch (err) {
    if (err instanceof AppError && err.code === "conflict") return "exists";
    throw err;
  }
}
