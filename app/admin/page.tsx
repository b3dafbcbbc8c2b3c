import type { Metadata } from "next";
import { Forbidden } from "@/components/admin/forbidden";
import { Kbd } from "@/components/admin/kbd";
import { QueueFilters } from "@/components/admin/queue-filters";
import { QueueTable } from "@/components/admin/queue-table";
import { REVIEW_REASONS } from "@/lib/appraisals/decide-review";
import { requirePageViewer } from "@/lib/auth/page";
import { CATEGORIES } from "@/lib/dataset/categories";
import { categoryLabel, reasonLabel } from "@/lib/review/labels";
import { listQueue } from "@/lib/review/queue";
import { type QueueQuery, queueQuerySchema, searchParamsToRecord } from "@/lib/review/schemas";

export const metadata: Metadata = { title: "Review queue" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function QueuePage({ searchParams }: { searchParams: SearchParams }) {
  const record = searchParamsToRecord(await searchParams);
  const qs = new URLSearchParams(Object.entries(record).filter((e): e is [string, string] => Boolean(e[1]))).toString();
  const viewer = await requirePageViewer(qs ? `/admin?${qs}` : "/admin");
  if (viewer === "forbidden") return <Forbidden />;
  const parsed = queueQuerySchema.safeParse(record);
  // A hand-edited URL with a bad value falls back to the defaults rather than an error page.
  const query: QueueQuery = parsed.success ? parsed.data : queueQuerySchema.parse({});
  const page = await listQueue(query, viewer);
  return (
    <section aria-labelledby="queue-title" className="space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 id="queue-title" className="text-xl font-semibold tracking-tight">
          Review queue <span className="ml-1 text-base font-normal text-slate-500">{page.total} waiting</span>
        </h1>
        <p className="text-xs text-slate-500">
          <Kbd>j</Kbd>/<Kbd>k</Kbd> move · <Kbd>Enter</Kbd> open · <Kbd>n</Kbd> oldest free item · <Kbd>/</Kbd> filters
        </p>
      </div>
      <QueueFilters
        query={query}
        reasons={REVIEW_REASONS.map((code) => ({ value: code, label: reasonLabel(code) }))}
        categories={CATEGORIES.map((c) => ({ value: c, label: categoryLabel(c) }))}
        invalid={!parsed.success}
      />
      <QueueTable page={page} query={query} />
    </section>
  );
}
