"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { ReviewMetrics } from "@/lib/review/metrics";

const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
const pctTick = (v: number) => `${v}%`;

/** Rates over time and volume per day and per category (recharts). */
export function MetricsCharts({ metrics }: { metrics: ReviewMetrics }) {
  const daily = metrics.byDay.map((d) => ({
    day: d.day.slice(5),
    "Auto-quote rate": pct(d.autoQuoteRate),
    "Override rate": pct(d.overrideRate),
    "Category agreement": pct(d.categoryAgreement),
    "Median price error": pct(d.medianPriceError),
    "Auto-quoted": d.autoQuoted,
    Waiting: d.needsReview,
    Accepted: d.accepted,
    Overridden: d.overridden,
    Rejected: d.rejected,
  }));
  const categories = metrics.byCategory.map((c) => ({
    category: c.label,
    "Override rate": pct(c.overrideRate),
    "Category agreement": pct(c.categoryAgreement),
    "Median price error": pct(c.medianPriceError),
  }));
  return (
    <div className="grid gap-4 xl:grid-cols-2">
      <figure className="rounded-lg border border-slate-200 bg-white p-3">
        <figcaption className="mb-2 text-sm font-semibold">Rates per day</figcaption>
        <div className="h-64">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={daily} margin={{ left: -10, right: 10 }}>
              <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
              <XAxis dataKey="day" fontSize={11} />
              <YAxis
                domain={[0, (max: number) => Math.max(100, Math.ceil(max / 10) * 10)]}
                tickFormatter={pctTick}
                fontSize={11}
              />
              <Tooltip formatter={(v) => (v === null ? "—" : `${v}%`)} />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              <Line type="linear" dataKey="Auto-quote rate" stroke="#1d4ed8" dot={{ r: 2 }} connectNulls />
              <Line type="linear" dataKey="Override rate" stroke="#e11d48" dot={false} connectNulls />
              <Line type="linear" dataKey="Category agreement" stroke="#059669" dot={false} connectNulls />
              <Line
                type="linear"
                dataKey="Median price error"
                stroke="#d97706"
                dot={false}
                connectNulls
                strokeDasharray="4 2"
              />
            </LineChart>
          </ResponsiveContainer>
        </div>
      </figure>
      <figure className="rounded-lg border border-slate-200 bg-white p-3">
        <figcaption className="mb-2 text-sm font-semibold">Appraisals per day by outcome</figcaption>
        <div className="h-64">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={daily} margin={{ left: -10, right: 10 }}>
              <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
              <XAxis dataKey="day" fontSize={11} />
              <YAxis allowDecimals={false} fontSize={11} />
              <Tooltip />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              <Bar dataKey="Auto-quoted" stackId="a" fill="#94a3b8" />
              <Bar dataKey="Accepted" stackId="a" fill="#059669" />
              <Bar dataKey="Overridden" stackId="a" fill="#e11d48" />
              <Bar dataKey="Rejected" stackId="a" fill="#7c3aed" />
              <Bar dataKey="Waiting" stackId="a" fill="#f59e0b" />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </figure>
      <figure className="rounded-lg border border-slate-200 bg-white p-3 xl:col-span-2">
        <figcaption className="mb-2 text-sm font-semibold">Model vs reviewer per category</figcaption>
        <div className="h-64">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={categories} margin={{ left: -10, right: 10 }}>
              <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
              <XAxis dataKey="category" fontSize={11} />
              <YAxis tickFormatter={pctTick} fontSize={11} />
              <Tooltip formatter={(v) => (v === null ? "—" : `${v}%`)} />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              <Bar dataKey="Category agreement" fill="#059669" />
              <Bar dataKey="Override rate" fill="#e11d48" />
              <Bar dataKey="Median price error" fill="#d97706" />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </figure>
    </div>
  );
}
