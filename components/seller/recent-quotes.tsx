import Link from "next/link";
import type { QuoteSummary } from "@/lib/appraisals/get-appraisal";

const STATUS: Record<QuoteSummary["status"], { label: string; className: string }> = {
  auto_quoted: { label: "Instant quote", className: "bg-emerald-50 text-emerald-800" },
  needs_review: { label: "Being reviewed", className: "bg-amber-50 text-amber-800" },
  reviewed: { label: "Checked", className: "bg-brand-50 text-brand-700" },
  rejected: { label: "Not quoted", className: "bg-red-50 text-red-800" },
};

const money = (amount: number, currency: string) =>
  new Intl.NumberFormat("en", { style: "currency", currency, maximumFractionDigits: 0 }).format(amount);

/** The seller's latest quotes (from their cookie), so they can find one again. */
export function RecentQuotes({ quotes }: { quotes: QuoteSummary[] }) {
  if (quotes.length === 0) return null;
  return (
    <section aria-labelledby="recent-heading" className="space-y-3">
      <h2 id="recent-heading" className="text-lg font-semibold">
        Your recent quotes
      </h2>
      <ul className="grid gap-3 sm:grid-cols-2">
        {quotes.map((q) => (
          <li key={q.id}>
            <Link
              href={`/appraisals/${q.id}`}
              className="flex items-center gap-3 rounded-2xl border border-slate-200 bg-white p-3 shadow-sm transition hover:border-brand-500"
            >
              {q.thumbUrl ? (
                // biome-ignore lint/performance/noImgElement: private photos served by our own handler
                <img src={q.thumbUrl} alt="" className="h-14 w-14 shrink-0 rounded-xl bg-slate-100 object-cover" />
              ) : null}
              <span className="min-w-0 flex-1">
                <span className="block truncate font-medium">{q.categoryLabel}</span>
                <span className="block text-sm text-slate-500">
                  {new Date(q.createdAt).toLocaleDateString("en-GB", { day: "numeric", month: "short" })}
                  {q.status === "rejected" ? "" : ` · ${money(q.price, q.currency)}`}
                </span>
              </span>
              <span className={`shrink-0 rounded-full px-2.5 py-1 text-xs font-medium ${STATUS[q.status].className}`}>
                {STATUS[q.status].label}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
