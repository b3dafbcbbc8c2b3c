"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import type { ReviewDetail } from "@/lib/review/detail";
import { AuditTrail } from "./audit-trail";
import { errorMessageOf, formatDateTime, formatMoney, formatPercent } from "./format";
import { Kbd } from "./kbd";
import { isPlainKey, isTyping } from "./keys";
import { Lightbox, PhotoGrid } from "./photo-viewer";
import { ReasonBadges } from "./reason-badges";

interface Option {
  value: string;
  label: string;
}
type Mode = "accept" | "override" | "reject";
type Claim =
  | { state: "pending" }
  | { state: "mine"; expiresAt: string }
  | { state: "blocked"; message: string }
  | { state: "none" };

// Renew well before the 5-minute claim runs out.
const CLAIM_RENEW_MS = 2 * 60 * 1000;

const STATUS_TEXT: Record<ReviewDetail["status"], { label: string; tone: string }> = {
  needs_review: { label: "Needs review", tone: "bg-amber-100 text-amber-900" },
  auto_quoted: { label: "Auto-quoted", tone: "bg-slate-200 text-slate-800" },
  reviewed: { label: "Reviewed", tone: "bg-emerald-100 text-emerald-900" },
  rejected: { label: "Rejected", tone: "bg-rose-100 text-rose-900" },
};

const input =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30 aria-[invalid=true]:border-rose-500";

/**
 * One appraisal under review: photos, the model's view of it, and accept / override / reject.
 * Opening claims the item (renewed while open, released on leave). Decisions are optimistic: the page
 * shows the outcome at once and rolls back, with the server's reason, if the server refuses.
 */
export function ReviewWorkbench({
  detail,
  options,
}: {
  detail: ReviewDetail;
  options: { categories: Option[]; currencies: string[]; rejectReasons: Option[] };
}) {
  const router = useRouter();
  const p = detail.prediction;
  const open = detail.status === "needs_review";
  const [claim, setClaim] = useState<Claim>(open ? { state: "pending" } : { state: "none" });
  const [mode, setMode] = useState<Mode | null>(null);
  const [optimistic, setOptimistic] = useState<{ status: "reviewed" | "rejected"; label: string } | null>(null);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [lightbox, setLightbox] = useState<number | null>(null);
  const [showHelp, setShowHelp] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const decided = !open || optimistic !== null;

  // Claim on open, renew while open, give it back when leaving undecided.
  useEffect(() => {
    if (!open) return;
    let stopped = false;
    const url = `/api/admin/appraisals/${detail.id}/claim`;
    async function take() {
      const res = await fetch(url, { method: "POST" }).catch(() => null);
      if (stopped || !res) return;
      if (res.ok) setClaim({ state: "mine", ...((await res.json()) as { expiresAt: string }) });
      else setClaim({ state: "blocked", message: await errorMessageOf(res) });
    }
    void take();
    const timer = setInterval(take, CLAIM_RENEW_MS);
    const release = () => void fetch(url, { method: "DELETE", keepalive: true }).catch(() => undefined);
    window.addEventListener("pagehide", release);
    return () => {
      stopped = true;
      clearInterval(timer);
      window.removeEventListener("pagehide", release);
      release();
    };
  }, [open, detail.id]);

  const goNext = useCallback(
    async (skip: boolean) => {
      if (skip && open)
        await fetch(`/api/admin/appraisals/${detail.id}/claim`, { method: "DELETE" }).catch(() => undefined);
      const res = await fetch(`/api/admin/queue/next?except=${encodeURIComponent(detail.id)}`, { cache: "no-store" });
      const body = res.ok ? ((await res.json()) as { id: string | null }) : { id: null };
      router.push(body.id ? `/admin/appraisals/${body.id}` : "/admin");
    },
    [detail.id, open, router],
  );

  const chooseMode = useCallback((m: Mode) => {
    setMode(m);
    setError(null);
    // Focus the first field of the chosen form once it renders.
    requestAnimationFrame(() =>
      formRef.current?.querySelector<HTMLElement>("select, input, textarea, button[type=submit]")?.focus(),
    );
  }, []);

  async function submit(event?: FormEvent<HTMLFormElement>) {
    event?.preventDefault();
    const form = formRef.current;
    if (!form || !mode || submitting || decided) return;
    const data = new FormData(form);
    const body =
      mode === "accept"
        ? { action: "accept", note: String(data.get("note") ?? "") || undefined }
        : mode === "override"
          ? {
              action: "override",
              category: data.get("category"),
              price: Number(String(data.get("price") ?? "").replace(",", ".")),
              currency: data.get("currency"),
              note: String(data.get("note") ?? ""),
            }
          : { action: "reject", reason: data.get("reason"), note: String(data.get("note") ?? "") || undefined };
    const label =
      mode === "accept"
        ? `Accepted: ${p?.categoryLabel}, ${formatMoney(p?.price.p50, p?.price.currency ?? detail.currency)}`
        : mode === "override"
          ? `Overridden: ${options.categories.find((c) => c.value === body.category)?.label ?? body.category}, ${formatMoney(
              (body as { price: number }).price,
              String(body.currency),
            )}`
          : `Rejected: ${options.rejectReasons.find((r) => r.value === (body as { reason: string }).reason)?.label ?? ""}`;
    setOptimistic({ status: mode === "reject" ? "rejected" : "reviewed", label });
    setSubmitting(true);
    setError(null);
    try {
      const res = await fetch(`/api/admin/appraisals/${detail.id}/decision`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!res.ok) {
        const parsed = (await res
          .clone()
          .json()
          .catch(() => null)) as { error?: { field?: string } } | null;
        setOptimistic(null);
        setError({ message: await errorMessageOf(res), field: parsed?.error?.field });
        if (res.status === 409) router.refresh();
        return;
      }
      setMode(null);
      router.refresh();
    } catch {
      setOptimistic(null);
      setError({ message: "Could not reach the server; nothing was saved. Try again." });
    } finally {
      setSubmitting(false);
    }
  }

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (lightbox !== null) return;
      if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
        e.preventDefault();
        formRef.current?.requestSubmit();
        return;
      }
      if (e.key === "Escape" && mode) {
        setMode(null);
        return;
      }
      if (isTyping(e.target) || !isPlainKey(e)) return;
      const k = e.key;
      if (!decided && claim.state !== "blocked" && (k === "a" || k === "o" || k === "r")) {
        e.preventDefault();
        chooseMode(k === "a" ? "accept" : k === "o" ? "override" : "reject");
      } else if (k === "n" || k === "j") {
        e.preventDefault();
        void goNext(false);
      } else if (k === "s" && open && !decided) {
        e.preventDefault();
        void goNext(true);
      } else if (/^[1-8]$/.test(k) && Number(k) <= detail.photos.length) {
        e.preventDefault();
        setLightbox(Number(k) - 1);
      } else if (k === "?") {
        setShowHelp((v) => !v);
      } else if (k === "u") {
        router.push("/admin");
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [lightbox, mode, decided, claim.state, chooseMode, goNext, open, detail.photos.length, router]);

  const status = optimistic ? STATUS_TEXT[optimistic.status] : STATUS_TEXT[detail.status];
  const fieldError = (f: string) => (error?.field === f ? error.message : undefined);
  const canAct = !decided && claim.state !== "blocked";

  return (
    <div className="space-y-4">
      <header className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-3">
          <Link href="/admin" className="text-sm text-brand-700 hover:underline">
            ← Queue <Kbd>u</Kbd>
          </Link>
          <h1 className="text-xl font-semibold tracking-tight">
            {p?.categoryLabel ?? "Appraisal"}{" "}
            <span className="font-mono text-sm font-normal text-slate-500">{detail.id}</span>
          </h1>
          <span data-testid="status" className={`rounded px-2 py-0.5 text-xs font-semibold ${status.tone}`}>
            {status.label}
            {submitting ? " (saving…)" : ""}
          </span>
        </div>
        <div className="flex items-center gap-2 text-sm">
          <span className="text-slate-500">Submitted {formatDateTime(detail.createdAt)}</span>
          {open && !decided ? (
            <button
              type="button"
              onClick={() => void goNext(true)}
              className="rounded-md border border-slate-300 bg-white px-2.5 py-1 hover:bg-slate-50"
            >
              Skip <Kbd>s</Kbd>
            </button>
          ) : null}
          <button
            type="button"
            onClick={() => void goNext(false)}
            className="rounded-md border border-slate-300 bg-white px-2.5 py-1 hover:bg-slate-50"
          >
            Next item <Kbd>n</Kbd>
          </button>
          <button
            type="button"
            onClick={() => setShowHelp((v) => !v)}
            className="rounded-md px-2 py-1 text-slate-500 hover:bg-slate-100"
            aria-expanded={showHelp}
          >
            Shortcuts <Kbd>?</Kbd>
          </button>
        </div>
      </header>

      {showHelp ? (
        <section
          aria-label="Keyboard shortcuts"
          className="grid grid-cols-2 gap-x-6 gap-y-1 rounded-lg border border-slate-200 bg-white p-3 text-sm sm:grid-cols-4"
        >
          {[
            ["a", "Accept the model's quote"],
            ["o", "Override category and price"],
            ["r", "Reject"],
            ["Ctrl+Enter", "Submit the decision"],
            ["Esc", "Cancel / close"],
            ["1–8", "Zoom photo; ←/→ next; +/− zoom"],
            ["n / j", "Next item"],
            ["s", "Skip (release the claim)"],
            ["u", "Back to the queue"],
          ].map(([k, text]) => (
            <p key={k}>
              <Kbd>{k}</Kbd> {text}
            </p>
          ))}
        </section>
      ) : null}

      <div aria-live="polite">
        {claim.state === "blocked" ? (
          <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            {claim.message} You can look, but not decide.
          </p>
        ) : null}
        {optimistic || (!open && detail.final) ? (
          <p
            className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900"
            data-testid="decision-banner"
          >
            {optimistic?.label ?? decidedSummary(detail)}{" "}
            <button type="button" className="ml-2 font-medium underline" onClick={() => void goNext(false)}>
              Next item →
            </button>
          </p>
        ) : null}
        {error ? (
          <p role="alert" className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-900">
            {error.message}
          </p>
        ) : null}
      </div>

      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_400px]">
        <section aria-label="Photos" className="space-y-3">
          <PhotoGrid photos={detail.photos} onOpen={setLightbox} />
        </section>

        <aside className="space-y-4">
          {p ? (
            <section aria-labelledby="model-title" className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
              <h2 id="model-title" className="mb-2 flex items-center justify-between font-semibold">
                Model says
                <span
                  className="font-mono text-xs font-normal text-slate-500"
                  title="Model version that made this prediction"
                >
                  {p.modelVersion}
                </span>
              </h2>
              <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1.5">
                <dt className="text-slate-500">Why review</dt>
                <dd>
                  <ReasonBadges reasons={p.reasons} />
                </dd>
                <dt className="text-slate-500">Seller said</dt>
                <dd
                  className={
                    detail.declaredCategory && detail.declaredCategory !== p.category
                      ? "font-medium text-violet-800"
                      : ""
                  }
                >
                  {detail.declaredCategoryLabel ?? "—"}
                </dd>
                <dt className="text-slate-500">Category</dt>
                <dd>
                  <ul className="space-y-1">
                    {p.topCategories.map((t) => (
                      <li key={t.category} className="flex items-center gap-2">
                        <span className="w-28 truncate">{t.label}</span>
                        <span className="h-2 flex-1 rounded bg-slate-100" aria-hidden="true">
                          <span
                            className="block h-2 rounded bg-brand-500"
                            style={{ width: `${t.probability * 100}%` }}
                          />
                        </span>
                        <span className="w-10 text-right tabular-nums">{formatPercent(t.probability)}</span>
                      </li>
                    ))}
                  </ul>
                </dd>
                <dt className="text-slate-500">Confidence</dt>
                <dd className="tabular-nums">{formatPercent(p.confidence, 1)} (calibrated)</dd>
                <dt className="text-slate-500">Price</dt>
                <dd className="tabular-nums">
                  <span className="text-base font-semibold">{formatMoney(p.price.p50, p.price.currency)}</span>{" "}
                  <span className="text-slate-500">
                    p10 {formatMoney(p.price.p10, p.price.currency)} · p90 {formatMoney(p.price.p90, p.price.currency)}
                  </span>
                </dd>
              </dl>
            </section>
          ) : null}

          <section aria-labelledby="decide-title" className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
            <h2 id="decide-title" className="mb-2 font-semibold">
              Decision
            </h2>
            <fieldset className="grid grid-cols-3 gap-2">
              <legend className="sr-only">Choose a decision</legend>
              {(
                [
                  ["accept", "Accept", "a"],
                  ["override", "Override", "o"],
                  ["reject", "Reject", "r"],
                ] as const
              ).map(([m, label, key]) => (
                <button
                  key={m}
                  type="button"
                  disabled={!canAct}
                  aria-pressed={mode === m}
                  onClick={() => chooseMode(m)}
                  className="rounded-md border border-slate-300 px-2 py-1.5 font-medium hover:bg-slate-50 disabled:opacity-50 aria-pressed:border-brand-600 aria-pressed:bg-brand-50 aria-pressed:text-brand-700"
                >
                  {label} <Kbd>{key}</Kbd>
                </button>
              ))}
            </fieldset>
            {mode && canAct ? (
              <form ref={formRef} onSubmit={submit} className="mt-3 space-y-2" aria-label={`${mode} form`} noValidate>
                {mode === "override" ? (
                  <>
                    <label className="block text-xs font-medium text-slate-600">
                      Category
                      <select
                        name="category"
                        defaultValue={p?.category}
                        className={input}
                        aria-invalid={Boolean(fieldError("category"))}
                      >
                        {options.categories.map((c) => (
                          <option key={c.value} value={c.value}>
                            {c.label}
                          </option>
                        ))}
                      </select>
                    </label>
                    <div className="grid grid-cols-[1fr_110px] gap-2">
                      <label className="block text-xs font-medium text-slate-600">
                        Price
                        <input
                          name="price"
                          inputMode="decimal"
                          required
                          defaultValue={p ? String(Math.round(p.price.p50)) : ""}
                          pattern="^\d+([.,]\d{1,2})?$"
                          className={input}
                          aria-invalid={Boolean(fieldError("price"))}
                          aria-describedby="price-help"
                        />
                      </label>
                      <label className="block text-xs font-medium text-slate-600">
                        Currency
                        <select name="currency" defaultValue={p?.price.currency ?? detail.currency} className={input}>
                          {options.currencies.map((c) => (
                            <option key={c}>{c}</option>
                          ))}
                        </select>
                      </label>
                    </div>
                    <p id="price-help" className="text-xs text-slate-500">
                      More than 0, at most 2 decimals.
                    </p>
                  </>
                ) : null}
                {mode === "reject" ? (
                  <label className="block text-xs font-medium text-slate-600">
                    Reason
                    <select name="reason" className={input} aria-invalid={Boolean(fieldError("reason"))}>
                      {options.rejectReasons.map((r) => (
                        <option key={r.value} value={r.value}>
                          {r.label}
                        </option>
                      ))}
                    </select>
                  </label>
                ) : null}
                <label className="block text-xs font-medium text-slate-600">
                  Note {mode === "override" ? "(required — why the model was wrong)" : "(optional)"}
                  <textarea
                    name="note"
                    rows={2}
                    required={mode === "override"}
                    className={input}
                    aria-invalid={Boolean(fieldError("note"))}
                  />
                </label>
                {error?.field ? <p className="text-xs text-rose-700">{error.message}</p> : null}
                <button
                  type="submit"
                  disabled={submitting}
                  className={`w-full rounded-md px-3 py-2 font-semibold text-white shadow-sm disabled:opacity-60 ${
                    mode === "reject" ? "bg-rose-600 hover:bg-rose-700" : "bg-brand-600 hover:bg-brand-700"
                  }`}
                >
                  {mode === "accept" ? "Accept quote" : mode === "override" ? "Save override" : "Reject item"}{" "}
                  <Kbd>Ctrl+Enter</Kbd>
                </button>
              </form>
            ) : null}
            {!canAct && !decided ? (
              <p className="mt-2 text-xs text-slate-500">Read-only while another reviewer holds this item.</p>
            ) : null}
          </section>

          <section aria-labelledby="history-title" className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
            <h2 id="history-title" className="mb-2 font-semibold">
              Audit trail
            </h2>
            <AuditTrail rows={detail.audit} compact />
          </section>
        </aside>
      </div>

      {lightbox !== null ? (
        <Lightbox photos={detail.photos} index={lightbox} onIndex={setLightbox} onClose={() => setLightbox(null)} />
      ) : null}
    </div>
  );
}

function decidedSummary(detail: ReviewDetail): string {
  const last = detail.reviews[0];
  if (detail.status === "rejected")
    return `Rejected${last ? ` by ${last.reviewerName}` : ""}: ${last?.rejectReason ?? ""}`;
  if (detail.status === "reviewed" && detail.final) {
    return `${last?.action === "override" ? "Overridden" : "Accepted"}${last ? ` by ${last.reviewerName}` : ""}: ${
      detail.final.categoryLabel
    }, ${formatMoney(detail.final.price, detail.currency)}`;
  }
  return "Auto-quoted by the model; no review needed.";
}
