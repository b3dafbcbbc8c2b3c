"use client";

import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import type { QueueQuery } from "@/lib/review/schemas";
import { isTyping } from "./keys";

interface Option {
  value: string;
  label: string;
}

const control =
  "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30";

/**
 * Filters live in the URL: a plain GET form (works without JavaScript); with JavaScript every change
 * navigates at once and resets to page 1.
 */
export function QueueFilters({
  query,
  reasons,
  categories,
  invalid,
}: {
  query: QueueQuery;
  reasons: Option[];
  categories: Option[];
  invalid: boolean;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.key !== "/" || isTyping(e.target)) return;
      e.preventDefault();
      formRef.current?.querySelector<HTMLSelectElement>("select")?.focus();
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  function apply() {
    const form = formRef.current;
    if (!form) return;
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(form).entries()) if (typeof v === "string" && v !== "") params.set(k, v);
    if (params.get("sort") === "oldest") params.delete("sort");
    if (params.get("pageSize") === "25") params.delete("pageSize");
    router.push(params.size ? `${pathname}?${params}` : pathname);
  }

  const hasFilters = Boolean(query.reason || query.category || query.from || query.to || query.sort !== "oldest");
  return (
    <form
      ref={formRef}
      method="get"
      action={pathname}
      onChange={apply}
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
      aria-label="Queue filters"
      className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white px-3 py-2"
    >
      <label className="flex flex-col text-xs font-medium text-slate-600">
        Reason
        <select name="reason" defaultValue={query.reason ?? ""} className={control}>
          <option value="">Any reason</option>
          {reasons.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col text-xs font-medium text-slate-600">
        Model category
        <select name="category" defaultValue={query.category ?? ""} className={control}>
          <option value="">Any category</option>
          {categories.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col text-xs font-medium text-slate-600">
        From
        <input type="date" name="from" defaultValue={query.from ?? ""} className={control} />
      </label>
      <label className="flex flex-col text-xs font-medium text-slate-600">
        To
        <input type="date" name="to" defaultValue={query.to ?? ""} className={control} />
      </label>
      <label className="flex flex-col text-xs font-medium text-slate-600">
        Order
        <select name="sort" defaultValue={query.sort} className={control}>
          <option value="oldest">Oldest first</option>
          <option value="newest">Newest first</option>
        </select>
      </label>
      <label className="flex flex-col text-xs font-medium text-slate-600">
        Per page
        <select name="pageSize" defaultValue={String(query.pageSize)} className={control}>
          {[25, 50, 100].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <noscript>
        <button type="submit" className={control}>
          Apply
        </button>
      </noscript>
      {hasFilters ? (
        <button
          type="button"
          onClick={() => router.push(pathname)}
          className="ml-auto text-sm text-brand-700 hover:underline"
        >
          Clear filters
        </button>
      ) : null}
      {invalid ? (
        <p role="status" className="w-full text-xs text-amber-700">
          Some filters in the address were not valid and were ignored.
        </p>
      ) : null}
    </form>
  );
}
