import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/components/admin/forbidden";
import { formatPercent } from "@/components/admin/format";
import { MetricsCharts } from "@/components/admin/metrics-charts";
import { requirePageViewer } from "@/lib/auth/page";
import { computeReviewMetrics } from "@/lib/review/metrics";
import { metricsQuerySchema, searchParamsToRecord } from "@/lib/review/schemas";

export const metadata: Metadata = { title: "Metrics" };

const RANGES = [7, 30, 90];

export default async function MetricsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const record = searchParamsToRecord(await searchParams);
  const viewer = await requirePageViewer("/admin/metrics");
  if (viewer === "forbidden") return <Forbidden />;
  const parsed = metricsQuerySchema.safeParse(record);
  const { days } = parsed.success ? parsed.data : { days: 30 };
  const m = await computeReviewMetrics({ days });
  const o = m.overall;
  const kpis = [
    {
      label: "Auto-quote rate",
      value: formatPercent(o.autoQuoteRate, 1),
      hint: `${o.autoQuoted} of ${o.appraisals} appraisals`,
    },
    {
      label: "Override rate",
      value: formatPercent(o.overrideRate, 1),
      hint: `${o.overridden} of ${o.decided} decisions`,
    },
    {
      label: "Category agreement",
      value: formatPercent(o.categoryAgreement, 1),
      hint: "model = reviewer, accepted + overridden",
    },
    {
      label: "Median price error",
      value: formatPercent(o.medianPriceError, 1),
      hint: "|model p50 − reviewer| / reviewer",
    },
    { label: "Reviewer price in p10–p90", value: formatPercent(o.priceInRange, 1), hint: "how often the range held" },
    { label: "Waiting for review", value: String(o.needsReview), hint: `${o.rejected} rejected` },
  ];
  return (
    <section aria-labelledby="metrics-title" className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 id="metrics-title" className="text-xl font-semibold tracking-tight">
          Metrics <span className="ml-1 text-base font-normal text-slate-500">last {days} days</span>
        </h1>
        <nav aria-label="Time range" className="flex gap-1 text-sm">
          {RANGES.map((d) => (
            <Link
              key={d}
              href={`/admin/metrics?days=${d}`}
              aria-current={d === days ? "page" : undefined}
              className="rounded-md border border-slate-300 bg-white px-2.5 py-1 hover:bg-slate-50 aria-[current=page]:border-brand-600 aria-[current=page]:text-brand-700"
            >
              {d} days
            </Link>
          ))}
        </nav>
      </div>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 xl:grid-cols-6">
        {kpis.map((k) => (
          <div key={k.label} className="rounded-lg border border-slate-200 bg-white p-3">
            <dt className="text-xs font-medium text-slate-500">{k.label}</dt>
            <dd className="mt-1 text-2xl font-semibold tabular-nums">{k.value}</dd>
            <dd className="text-xs text-slate-500">{k.hint}</dd>
          </div>
        ))}
      </dl>
      <MetricsCharts metrics={m} />
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <caption className="px-3 py-2 text-left font-semibold">Per category</caption>
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              {[
                "Category",
                "Appraisals",
                "Auto-quote",
                "Decided",
                "Override",
                "Agreement",
                "Median price error",
                "In p10–p90",
              ].map((h) => (
                <th key={h} scope="col" className="px-3 py-2 font-semibold">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 tabular-nums">
            {m.byCategory.map((c) => (
              <tr key={c.category}>
                <th scope="row" className="px-3 py-1.5 text-left font-medium">
                  {c.label}
                </th>
                <td className="px-3 py-1.5">{c.appraisals}</td>
                <td className="px-3 py-1.5">{formatPercent(c.autoQuoteRate)}</td>
                <td className="px-3 py-1.5">{c.decided}</td>
                <td className="px-3 py-1.5">{formatPercent(c.overrideRate)}</td>
                <td className="px-3 py-1.5">{formatPercent(c.categoryAgreement)}</td>
                <td className="px-3 py-1.5">{formatPercent(c.medianPriceError, 1)}</td>
                <td className="px-3 py-1.5">{formatPercent(c.priceInRange)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {m.byCategory.length === 0 ? (
          <p className="p-6 text-center text-slate-500">No appraisals in this period.</p>
        ) : null}
      </div>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <caption className="px-3 py-2 text-left font-semibold">
            Per model version (the model that made each prediction)
          </caption>
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              {["Model version", "Appraisals", "Auto-quote", "Override", "Agreement", "Median price error"].map((h) => (
                <th key={h} scope="col" className="px-3 py-2 font-semibold">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 tabular-nums">
            {m.byModel.map((row) => (
              <tr key={row.modelVersion}>
                <th scope="row" className="px-3 py-1.5 text-left font-mono text-xs font-medium">
                  {row.modelVersion}
                </th>
                <td className="px-3 py-1.5">{row.appraisals}</td>
                <td className="px-3 py-1.5">{formatPercent(row.autoQuoteRate)}</td>
                <td className="px-3 py-1.5">{formatPercent(row.overrideRate)}</td>
                <td className="px-3 py-1.5">{formatPercent(row.categoryAgreement)}</td>
                <td className="px-3 py-1.5">{formatPercent(row.medianPriceError, 1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
