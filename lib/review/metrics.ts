import "server-only";
import { db } from "@/lib/db";
import { categoryLabel } from "./labels";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Rates and errors over one group of appraisals (all, one category, or one day). */
export interface MetricsBucket {
  appraisals: number;
  autoQuoted: number;
  needsReview: number;
  decided: number;
  accepted: number;
  overridden: number;
  rejected: number;
  /** autoQuoted / appraisals */
  autoQuoteRate: number | null;
  /** overridden / decided */
  overrideRate: number | null;
  /** Model's category = reviewer's, over accepted + overridden. */
  categoryAgreement: number | null;
  /** Median |model p50 − reviewer price| / reviewer price, over accepted + overridden. */
  medianPriceError: number | null;
  /** Share of reviewer prices inside the model's p10–p90 range. */
  priceInRange: number | null;
}

export interface ReviewMetrics {
  days: number;
  from: string;
  to: string;
  overall: MetricsBucket;
  byCategory: (MetricsBucket & { category: string; label: string })[];
  byDay: (MetricsBucket & { day: string })[];
  byModel: (MetricsBucket & { modelVersion: string })[];
}

interface Sample {
  status: string;
  category: string;
  day: string;
  modelVersion: string;
  decision: null | {
    action: "accept" | "override" | "reject";
    category: string | null;
    price: number | null;
  };
  predicted: { category: string; p10: number; p50: number; p90: number } | null;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const ratio = (n: number, d: number) => (d > 0 ? n / d : null);

/** Aggregates one group of samples into rates (pure; unit-tested). */
export function summarize(samples: readonly Sample[]): MetricsBucket {
  let autoQuoted = 0;
  let needsReview = 0;
  let accepted = 0;
  let overridden = 0;
  let rejected = 0;
  let agree = 0;
  let inRange = 0;
  const errors: number[] = [];
  for (const s of samples) {
    if (s.status === "auto_quoted") autoQuoted++;
    if (s.status === "needs_review") needsReview++;
    const d = s.decision;
    if (!d) continue;
    if (d.action === "reject") {
      rejected++;
      continue;
    }
    if (d.action === "accept") accepted++;
    else overridden++;
    if (!s.predicted) continue;
    if (d.category === s.predicted.category) agree++;
    if (d.price && d.price > 0) {
      errors.push(Math.abs(s.predicted.p50 - d.price) / d.price);
      if (d.price >= s.predicted.p10 && d.price <= s.predicted.p90) inRange++;
    }
  }
  const decided = accepted + overridden + rejected;
  const priced = accepted + overridden;
  return {
    appraisals: samples.length,
    autoQuoted,
    needsReview,
    decided,
    accepted,
    overridden,
    rejected,
    autoQuoteRate: ratio(autoQuoted, samples.length),
    overrideRate: ratio(overridden, decided),
    categoryAgreement: ratio(agree, priced),
    medianPriceError: median(errors),
    priceInRange: ratio(inRange, errors.length),
  };
}

function groupBy<K extends string>(samples: readonly Sample[], key: (s: Sample) => K): Map<K, Sample[]> {
  const groups = new Map<K, Sample[]>();
  for (const s of samples) {
    const k = key(s);
    const list = groups.get(k);
    if (list) list.push(s);
    else groups.set(k, [s]);
  }
  return groups;
}

/**
 * Review metrics over the last `days` days of appraisals (by creation date). Per category means the
 * reviewer's category when decided, else the model's. Aggregated in memory: a window of appraisals
 * is a few thousand rows at this product's scale; move to SQL GROUP BY when it is not.
 */
export async function computeReviewMetrics({ days }: { days: number }, now = new Date()): Promise<ReviewMetrics> {
  const end = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS + DAY_MS);
  const start = new Date(end.getTime() - days * DAY_MS);
  const rows = await db().appraisal.findMany({
    where: { createdAt: { gte: start, lt: end } },
    select: {
      status: true,
      createdAt: true,
      prediction: { select: { category: true, priceP10: true, priceP50: true, priceP90: true, modelVersionId: true } },
      reviews: { select: { action: true, category: true, price: true }, orderBy: { createdAt: "desc" }, take: 1 },
    },
  });
  const samples: Sample[] = rows.map((r) => {
    const review = r.reviews[0] ?? null;
    const p = r.prediction;
    return {
      status: r.status,
      category: review?.category ?? p?.category ?? "unknown",
      day: r.createdAt.toISOString().slice(0, 10),
      modelVersion: p?.modelVersionId ?? "unknown",
      decision: review,
      predicted: p ? { category: p.category, p10: p.priceP10, p50: p.priceP50, p90: p.priceP90 } : null,
    };
  });
  const byDayGroups = groupBy(samples, (s) => s.day);
  const byDay: ReviewMetrics["byDay"] = [];
  for (let t = start.getTime(); t < end.getTime(); t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    byDay.push({ day, ...summarize(byDayGroups.get(day) ?? []) });
  }
  return {
    days,
    from: start.toISOString(),
    to: end.toISOString(),
    overall: summarize(samples),
    byCategory: [...groupBy(samples, (s) => s.category)]
      .map(([category, group]) => ({ category, label: categoryLabel(category), ...summarize(group) }))
      .sort((a, b) => b.appraisals - a.appraisals),
    byDay,
    byModel: [...groupBy(samples, (s) => s.modelVersion)].map(([modelVersion, group]) => ({
      modelVersion,
      ...summarize(group),
    })),
  };
}
