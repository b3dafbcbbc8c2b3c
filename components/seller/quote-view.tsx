"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { AlertIcon, CheckIcon, ClockIcon } from "@/components/ui/icons";
import type { Quote } from "@/lib/appraisals/quote";

/** How often the page asks whether a specialist has decided. */
const POLL_MS = 5000;

const money = (amount: number, currency: string) =>
  new Intl.NumberFormat("en", { style: "currency", currency, maximumFractionDigits: amount >= 20 ? 0 : 2 }).format(
    amount,
  );

const pct = (p: number) => `${Math.round(p * 100)}%`;

/** Polls the quote while a specialist is reviewing it; stops once decided or when the tab is hidden. */
function useLiveQuote(initial: Quote): { quote: Quote; changed: boolean } {
  const [quote, setQuote] = useState(initial);
  const [changed, setChanged] = useState(false);
  const status = useRef(initial.status);
  useEffect(() => {
    if (quote.status !== "needs_review") return;
    let stopped = false;
    const tick = async () => {
      if (document.visibilityState !== "visible") return;
      try {
        const res = await fetch(`/api/appraisals/${initial.id}`, { cache: "no-store" });
        if (!res.ok || stopped) return;
        const next = (await res.json()) as Quote;
        if (next.status !== status.current) {
          status.current = next.status;
          setChanged(true);
        }
        setQuote(next);
      } catch {
        // Offline for a moment: the next tick tries again.
      }
    };
    const timer = setInterval(tick, POLL_MS);
    document.addEventListener("visibilitychange", tick);
    return () => {
      stopped = true;
      clearInterval(timer);
      document.removeEventListener("visibilitychange", tick);
    };
  }, [initial.id, quote.status]);
  return { quote, changed };
}

function StatusBanner({ quote }: { quote: Quote }) {
  switch (quote.status) {
    case "auto_quoted":
      return (
        <div className="flex items-start gap-3 rounded-2xl bg-emerald-50 p-4 text-emerald-900">
          <CheckIcon className="mt-0.5 h-6 w-6 text-emerald-600" />
          <div>
            <p className="font-semibold">Instant quote</p>
            <p className="text-sm">Our model is confident about this one. The offer below is ready.</p>
          </div>
        </div>
      );
    case "needs_review":
      return (
        <div className="flex items-start gap-3 rounded-2xl bg-amber-50 p-4 text-amber-900">
          <ClockIcon className="mt-0.5 h-6 w-6 text-amber-600" />
          <div>
            <p className="font-semibold">A specialist is reviewing your item</p>
            <p className="text-sm">
              You'll see their decision on this page — it updates by itself. Meanwhile, here is our preliminary
              estimate.
            </p>
            {quote.reviewReasons.length ? (
              <ul className="mt-2 list-disc space-y-0.5 pl-5 text-sm">
                {quote.reviewReasons.map((r) => (
                  <li key={r.code}>{r.message}</li>
                ))}
              </ul>
            ) : null}
          </div>
        </div>
      );
    case "reviewed":
      return (
        <div className="flex items-start gap-3 rounded-2xl bg-brand-50 p-4 text-brand-700">
          <CheckIcon className="mt-0.5 h-6 w-6" />
          <div>
            <p className="font-semibold">Checked by a specialist</p>
            <p className="text-sm">A specialist has reviewed your photos. This is your quote.</p>
          </div>
        </div>
      );
    case "rejected":
      return (
        <div className="flex items-start gap-3 rounded-2xl bg-red-50 p-4 text-red-900">
          <AlertIcon className="mt-0.5 h-6 w-6 text-red-600" />
          <div>
            <p className="font-semibold">We can't quote this item</p>
            <p className="text-sm">
              {quote.rejectReason ?? "A specialist looked at your photos and could not make an offer."}
            </p>
          </div>
        </div>
      );
  }
}

function PriceCard({ quote }: { quote: Quote }) {
  const { p10, p50, p90, currency } = quote.price;
  const finalPrice = quote.final?.price ?? null;
  const reviewing = quote.status === "needs_review";
  const headline = finalPrice ?? p50;
  // Where p50 sits between p10 and p90, for the range bar.
  const marker = p90 > p10 ? ((p50 - p10) / (p90 - p10)) * 100 : 50;
  if (quote.status === "rejected") return null;
  return (
    <section
      aria-labelledby="price-heading"
      className="rounded-3xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6"
    >
      <h2 id="price-heading" className="text-sm font-medium uppercase tracking-wide text-slate-500">
        {finalPrice !== null ? "Your price" : reviewing ? "Preliminary estimate" : "Our offer"}
      </h2>
      <p
        className={`mt-1 text-4xl font-bold tracking-tight sm:text-5xl ${reviewing ? "text-slate-500" : "text-slate-900"}`}
        data-testid="price"
      >
        {money(headline, finalPrice !== null ? (quote.final?.currency ?? currency) : currency)}
      </p>
      <p className="mt-2 text-slate-600">
        {finalPrice !== null ? (
          <>
            Our model estimated {money(p50, currency)} (likely {money(p10, currency)}–{money(p90, currency)}).
          </>
        ) : (
          <>
            Likely between <strong>{money(p10, currency)}</strong> and <strong>{money(p90, currency)}</strong>.
          </>
        )}
      </p>
      <div className="mt-4" aria-hidden="true">
        <div className="relative h-2 rounded-full bg-gradient-to-r from-brand-100 via-brand-500 to-brand-100">
          <span
            className="absolute top-1/2 h-4 w-4 -translate-x-1/2 -translate-y-1/2 rounded-full border-2 border-white bg-brand-700 shadow"
            style={{ left: `${Math.max(0, Math.min(100, marker))}%` }}
          />
        </div>
        <div className="mt-1 flex justify-between text-xs text-slate-500">
          <span>{money(p10, currency)}</span>
          <span>{money(p90, currency)}</span>
        </div>
      </div>
    </section>
  );
}

function CategoryCard({ quote }: { quote: Quote }) {
  const final = quote.final?.categoryLabel;
  return (
    <section
      aria-labelledby="category-heading"
      className="rounded-3xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6"
    >
      <h2 id="category-heading" className="text-sm font-medium uppercase tracking-wide text-slate-500">
        What we see
      </h2>
      <p className="mt-1 text-2xl font-semibold" data-testid="category">
        {final ?? quote.categoryLabel}
      </p>
      {quote.declaredCategory && quote.declaredCategory !== quote.category ? (
        <p className="text-sm text-slate-600">You said: {quote.declaredCategoryLabel}</p>
      ) : null}
      <ol className="mt-4 space-y-3" aria-label="Most likely categories">
        {quote.topCategories.map((c, i) => (
          <li key={c.category}>
            <div className="flex justify-between text-sm">
              <span className={i === 0 ? "font-semibold" : ""}>{c.label}</span>
              <span className="tabular-nums text-slate-600">{pct(c.probability)}</span>
            </div>
            <div className="mt-1 h-1.5 rounded-full bg-slate-100">
              <div
                className={`h-full rounded-full ${i === 0 ? "bg-brand-600" : "bg-slate-400"}`}
                style={{ width: `${Math.max(2, c.probability * 100)}%` }}
              />
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

function PhotoList({ quote }: { quote: Quote }) {
  return (
    <section
      aria-labelledby="photos-heading"
      className="rounded-3xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6"
    >
      <h2 id="photos-heading" className="text-lg font-semibold">
        Your photos
      </h2>
      <ul className="mt-4 grid gap-4 sm:grid-cols-2">
        {quote.photos.map((photo) => (
          <li key={photo.id} className="flex gap-3">
            {/* biome-ignore lint/performance/noImgElement: photos are private, served by our own handler */}
            <img
              src={photo.thumbUrl}
              alt={`${photo.slotName} view`}
              width={96}
              height={Math.round((96 * photo.height) / photo.width)}
              className="h-24 w-24 shrink-0 rounded-xl bg-slate-100 object-cover"
              loading="lazy"
            />
            <div className="min-w-0">
              <p className="font-medium">{photo.slotName}</p>
              {photo.notes.length === 0 ? (
                <p className="text-sm text-emerald-700">Looks good.</p>
              ) : (
                <ul className="space-y-1 text-sm">
                  {photo.notes.map((note) => (
                    <li
                      key={note.code}
                      className={`flex items-start gap-1 ${note.severity === "serious" ? "text-red-700" : "text-amber-800"}`}
                    >
                      <AlertIcon className="mt-0.5 h-4 w-4" />
                      <span>{note.message}</span>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The quote page's body: status, price and range, categories, per-photo notes; live while under review. */
export function QuoteView({ initial }: { initial: Quote }) {
  const { quote, changed } = useLiveQuote(initial);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-3xl font-bold tracking-tight">Your quote</h1>
        <Link href="/" className="text-sm font-medium text-brand-600 underline-offset-4 hover:underline">
          Appraise another item
        </Link>
      </div>
      <div aria-live="polite" data-testid="status">
        <StatusBanner quote={quote} />
        {changed ? <p className="sr-only">The status of your quote has changed.</p> : null}
      </div>
      <div className="grid gap-6 md:grid-cols-2">
        <PriceCard quote={quote} />
        <CategoryCard quote={quote} />
      </div>
      <PhotoList quote={quote} />
      <p className="text-xs text-slate-500">
        Quote {quote.id} ·{" "}
        {new Date(quote.createdAt).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" })} · model{" "}
        {quote.modelVersion}
      </p>
    </div>
  );
}
