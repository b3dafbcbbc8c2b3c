import type { AuditRow } from "@/lib/review/audit";
import { formatDateTime, formatMoney } from "./format";

type Snapshot = {
  status?: string;
  category?: string | null;
  price?: number | null;
  currency?: string;
  [k: string]: unknown;
} | null;

/** A compact "category, price (status)" rendering of an audit before/after snapshot. */
export function describeSnapshot(value: unknown): string {
  const s = value as Snapshot;
  if (!s || typeof s !== "object") return "—";
  if ("reviewerId" in s) {
    return Object.entries(s)
      .filter(([k]) => k !== "reviewerId")
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join(", ");
  }
  const parts = [s.category ?? null, s.price != null && s.currency ? formatMoney(s.price, s.currency) : null].filter(
    Boolean,
  );
  return `${parts.join(", ") || "—"}${s.status ? ` (${s.status.replace("_", " ")})` : ""}`;
}

/** Decisions on one item (or the whole log) as a definition-list timeline. */
export function AuditTrail({ rows, compact = false }: { rows: AuditRow[]; compact?: boolean }) {
  if (rows.length === 0) return <p className="text-slate-500">No decisions yet.</p>;
  return (
    <ol className="space-y-2" data-testid="audit-trail">
      {rows.map((e) => (
        <li key={e.id} className="border-l-2 border-slate-200 pl-2">
          <p className="flex flex-wrap items-baseline justify-between gap-x-2">
            <span className="font-medium">{e.action}</span>
            <time dateTime={e.createdAt} className="text-xs text-slate-500">
              {formatDateTime(e.createdAt)}
            </time>
          </p>
          <p className="text-xs text-slate-600">
            by {e.actorName ?? e.actorKind}
            {e.modelVersion ? ` · model ${e.modelVersion}` : ""}
          </p>
          <p className={compact ? "text-xs" : "text-sm"}>
            {describeSnapshot(e.before)} → <span className="font-medium">{describeSnapshot(e.after)}</span>
          </p>
          {e.reason ? <p className="text-xs italic text-slate-600">“{e.reason}”</p> : null}
        </li>
      ))}
    </ol>
  );
}
