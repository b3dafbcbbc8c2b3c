import type { Metadata } from "next";
import Link from "next/link";
import { describeSnapshot } from "@/components/admin/audit-trail";
import { Forbidden } from "@/components/admin/forbidden";
import { formatDateTime } from "@/components/admin/format";
import { requirePageViewer } from "@/lib/auth/page";
import { listAuditActions, listAuditEvents } from "@/lib/review/audit";
import { type AuditQuery, auditQuerySchema, searchParamsToRecord } from "@/lib/review/schemas";

export const metadata: Metadata = { title: "Audit log" };

function href(query: AuditQuery, page: number): string {
  const params = new URLSearchParams();
  if (query.action) params.set("action", query.action);
  if (query.appraisalId) params.set("appraisalId", query.appraisalId);
  if (query.actorId) params.set("actorId", query.actorId);
  if (page > 1) params.set("page", String(page));
  return params.size ? `/admin/audit?${params}` : "/admin/audit";
}

const control = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm shadow-sm";

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const record = searchParamsToRecord(await searchParams);
  const viewer = await requirePageViewer("/admin/audit");
  if (viewer === "forbidden") return <Forbidden />;
  const parsed = auditQuerySchema.safeParse(record);
  const query = parsed.success ? parsed.data : auditQuerySchema.parse({});
  const [page, actions] = await Promise.all([listAuditEvents(query), listAuditActions()]);
  return (
    <section aria-labelledby="audit-title" className="space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 id="audit-title" className="text-xl font-semibold tracking-tight">
          Audit log <span className="ml-1 text-base font-normal text-slate-500">{page.total} events · append-only</span>
        </h1>
      </div>
      {/* A plain GET form: filters are in the URL and work without JavaScript. */}
      <form
        method="get"
        action="/admin/audit"
        className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white px-3 py-2"
        aria-label="Audit filters"
      >
        <label className="flex flex-col text-xs font-medium text-slate-600">
          Action
          <select name="action" defaultValue={query.action ?? ""} className={control}>
            <option value="">Any action</option>
            {actions.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col text-xs font-medium text-slate-600">
          Appraisal id
          <input name="appraisalId" defaultValue={query.appraisalId ?? ""} className={`${control} w-64 font-mono`} />
        </label>
        <button
          type="submit"
          className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-700"
        >
          Filter
        </button>
        {query.action || query.appraisalId || query.actorId ? (
          <Link href="/admin/audit" className="text-sm text-brand-700 hover:underline">
            Clear
          </Link>
        ) : null}
      </form>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              {["When (UTC)", "Who", "Action", "Item", "Before", "After", "Model", "Reason"].map((h) => (
                <th key={h} scope="col" className="px-3 py-2 font-semibold">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {page.rows.map((e) => (
              <tr key={e.id} className="align-top">
                <td className="whitespace-nowrap px-3 py-1.5 tabular-nums">{formatDateTime(e.createdAt)}</td>
                <td className="whitespace-nowrap px-3 py-1.5" title={e.actorEmail ?? undefined}>
                  {e.actorName ?? e.actorKind}
                </td>
                <td className="whitespace-nowrap px-3 py-1.5 font-medium">{e.action}</td>
                <td className="px-3 py-1.5">
                  {e.appraisalId ? (
                    <Link
                      href={`/admin/appraisals/${e.appraisalId}`}
                      className="font-mono text-xs text-brand-700 hover:underline"
                    >
                      {e.appraisalId.slice(0, 10)}…
                    </Link>
                  ) : (
                    "—"
                  )}
                </td>
                <td className="px-3 py-1.5 text-slate-600">{describeSnapshot(e.before)}</td>
                <td className="px-3 py-1.5">{describeSnapshot(e.after)}</td>
                <td className="whitespace-nowrap px-3 py-1.5 font-mono text-xs">{e.modelVersion ?? "—"}</td>
                <td className="max-w-xs px-3 py-1.5 text-slate-600">{e.reason ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {page.rows.length === 0 ? <p className="p-6 text-center text-slate-500">No events match.</p> : null}
      </div>
      <nav aria-label="Audit pages" className="flex items-center justify-end gap-2 text-sm">
        {page.page > 1 ? (
          <Link
            href={href(query, page.page - 1)}
            className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-50"
          >
            ← Newer
          </Link>
        ) : null}
        <span className="text-slate-600">
          Page {page.page} of {page.pageCount}
        </span>
        {page.page < page.pageCount ? (
          <Link
            href={href(query, page.page + 1)}
            className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-50"
          >
            Older →
          </Link>
        ) : null}
      </nav>
    </section>
  );
}
