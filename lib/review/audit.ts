import "server-only";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/db/generated/client";
import type { AuditQuery } from "./schemas";

/** One audit event as the log pages show it (ids as strings: BigInt does not survive JSON). */
export interface AuditRow {
  id: string;
  appraisalId: string | null;
  actorKind: string;
  actorName: string | null;
  actorEmail: string | null;
  action: string;
  before: unknown;
  after: unknown;
  modelVersion: string | null;
  reason: string | null;
  createdAt: string;
}

type EventWithActor = Prisma.AuditEventGetPayload<{ include: { actor: { select: { name: true; email: true } } } }>;

export function auditRowFrom(e: EventWithActor): AuditRow {
  return {
    id: e.id.toString(),
    appraisalId: e.appraisalId,
    actorKind: e.actorKind,
    actorName: e.actor?.name ?? null,
    actorEmail: e.actor?.email ?? null,
    action: e.action,
    before: e.before,
    after: e.after,
    modelVersion: e.modelVersion,
    reason: e.reason,
    createdAt: e.createdAt.toISOString(),
  };
}

export interface AuditPage {
  rows: AuditRow[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

/** The audit log, newest first; read-only by construction (the table refuses UPDATE, DELETE and TRUNCATE). */
export async function listAuditEvents(query: AuditQuery): Promise<AuditPage> {
  const where: Prisma.AuditEventWhereInput = {
    ...(query.appraisalId ? { appraisalId: query.appraisalId } : {}),
    ...(query.actorId ? { actorId: query.actorId } : {}),
    ...(query.action ? { action: query.action } : {}),
  };
  const [total, events] = await Promise.all([
    db().auditEvent.count({ where }),
    db().auditEvent.findMany({
      where,
      orderBy: { id: "desc" },
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      include: { actor: { select: { name: true, email: true } } },
    }),
  ]);
  return {
    rows: events.map(auditRowFrom),
    total,
    page: query.page,
    pageSize: query.pageSize,
    pageCount: Math.max(1, Math.ceil(total / query.pageSize)),
  };
}

/** Distinct actions in the log, for the filter menu. */
export async function listAuditActions(): Promise<string[]> {
  const rows = await db().auditEvent.findMany({
    distinct: ["action"],
    select: { action: true },
    orderBy: { action: "asc" },
  });
  return rows.map((r) => r.action);
}
