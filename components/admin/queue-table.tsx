"use client";

import { type ColumnDef, flexRender, tableFeatures, useTable } from "@tanstack/react-table";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import type { QueuePage, QueueRow } from "@/lib/review/queue";
import type { QueueQuery } from "@/lib/review/schemas";
import { formatAge, formatMoney, formatPercent } from "./format";
import { isPlainKey, isTyping } from "./keys";
import { ReasonBadges } from "./reason-badges";

const features = tableFeatures({});
type Col = ColumnDef<typeof features, QueueRow>;

// The queue refreshes itself so claims and new items show up without a reload.
const REFRESH_MS = 20_000;

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

/** The queue as a dense, keyboard-driven table; filtering and pagination happen on the server (URL). */
export function QueueTable({ page, query }: { page: QueuePage; query: QueueQuery }) {
  const router = useRouter();
  const pathname = usePathname();
  const now = useNow(30_000);
  const [active, setActive] = useState(0);
  const [opening, setOpening] = useState(false);
  const bodyRef = useRef<HTMLTableSectionElement>(null);

  const columns = useMemo<Col[]>(
    () => [
      {
        id: "photo",
        header: () => <span className="sr-only">Front photo</span>,
        cell: ({ row }) =>
          row.original.frontPhotoId ? (
            // biome-ignore lint/performance/noImgElement: authenticated thumbnails from our own handler
            <img
              src={`/api/admin/photos/${row.original.frontPhotoId}/thumb`}
              alt=""
              loading="lazy"
              className="h-10 w-10 rounded object-cover ring-1 ring-slate-200"
            />
          ) : (
            <span className="block h-10 w-10 rounded bg-slate-100" />
          ),
      },
      {
        id: "age",
        header: "Age",
        cell: ({ row }) => (
          <time
            dateTime={row.original.createdAt}
            title={new Date(row.original.createdAt).toUTCString()}
            className="tabular-nums"
          >
            {formatAge(row.original.createdAt, now)}
          </time>
        ),
      },
      {
        id: "item",
        header: "Model category",
        cell: ({ row }) => (
          <Link
            href={`/admin/appraisals/${row.original.id}`}
            className="font-medium text-slate-900 hover:underline"
            tabIndex={-1}
          >
            {row.original.categoryLabel}
            {row.original.declaredCategory && row.original.declaredCategory !== row.original.category ? (
              <span className="ml-1 text-xs font-normal text-amber-700">(seller: {row.original.declaredCategory})</span>
            ) : null}
          </Link>
        ),
      },
      { id: "reasons", header: "Why review", cell: ({ row }) => <ReasonBadges reasons={row.original.reasons} /> },
      {
        id: "confidence",
        header: "Conf.",
        cell: ({ row }) => <span className="tabular-nums">{formatPercent(row.original.confidence)}</span>,
      },
      {
        id: "price",
        header: "Price p50 (p10–p90)",
        cell: ({ row }) => {
          const p = row.original.price;
          return (
            <span className="tabular-nums">
              <span className="font-medium">{formatMoney(p.p50, p.currency)}</span>{" "}
              <span className="text-xs text-slate-500">
                {formatMoney(p.p10, p.currency)}–{formatMoney(p.p90, p.currency)}
              </span>
            </span>
          );
        },
      },
      {
        id: "photos",
        header: "Photos",
        cell: ({ row }) => <span className="tabular-nums">{row.original.photoCount}</span>,
      },
      {
        id: "claim",
        header: "Claimed by",
        cell: ({ row }) =>
          row.original.claim ? (
            <span className={row.original.claim.mine ? "text-brand-700" : "text-amber-700"}>
              {row.original.claim.mine ? "You" : row.original.claim.reviewerName}
            </span>
          ) : (
            <span className="text-slate-400">—</span>
          ),
      },
    ],
    [now],
  );

  const table = useTable({ features, columns, data: page.rows, getRowId: (row) => row.id });
  const rows = table.getRowModel().rows;

  useEffect(() => {
    const t = setInterval(() => router.refresh(), REFRESH_MS);
    return () => clearInterval(t);
  }, [router]);

  useEffect(() => {
    setActive((i) => Math.min(i, Math.max(0, page.rows.length - 1)));
  }, [page.rows.length]);

  useEffect(() => {
    async function openNext() {
      setOpening(true);
      try {
        const res = await fetch("/api/admin/queue/next", { cache: "no-store" });
        const body = (await res.json()) as { id: string | null };
        if (body.id) router.push(`/admin/appraisals/${body.id}`);
      } finally {
        setOpening(false);
      }
    }
    function onKey(e: KeyboardEvent) {
      if (isTyping(e.target) || !isPlainKey(e)) return;
      const focusRow = (i: number) => {
        setActive(i);
        bodyRef.current?.querySelectorAll<HTMLTableRowElement>("tr")[i]?.focus();
      };
      if ((e.key === "j" || e.key === "ArrowDown") && rows.length) {
        e.preventDefault();
        focusRow(Math.min(active + 1, rows.length - 1));
      } else if ((e.key === "k" || e.key === "ArrowUp") && rows.length) {
        e.preventDefault();
        focusRow(Math.max(active - 1, 0));
      } else if (e.key === "Enter" && rows[active] && (e.target as HTMLElement).tagName !== "A") {
        e.preventDefault();
        router.push(`/admin/appraisals/${rows[active].id}`);
      } else if (e.key === "n") {
        e.preventDefault();
        void openNext();
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [rows, active, router]);

  const pageHref = (p: number) => {
    const params = new URLSearchParams();
    if (query.reason) params.set("reason", query.reason);
    if (query.category) params.set("category", query.category);
    if (query.from) params.set("from", query.from);
    if (query.to) params.set("to", query.to);
    if (query.sort !== "oldest") params.set("sort", query.sort);
    if (query.pageSize !== 25) params.set("pageSize", String(query.pageSize));
    if (p > 1) params.set("page", String(p));
    return params.size ? `${pathname}?${params}` : pathname;
  };

  if (page.rows.length === 0) {
    return (
      <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center">
        <p className="font-medium">{page.total === 0 ? "Nothing waiting for review." : "No items on this page."}</p>
        <p className="mt-1 text-sm text-slate-500">New items appear here automatically.</p>
      </div>
    );
  }

  const first = (page.page - 1) * page.pageSize + 1;
  return (
    <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm" aria-describedby="queue-title">
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            {table.getHeaderGroups().map((hg) => (
              <tr key={hg.id}>
                {hg.headers.map((h) => (
                  <th key={h.id} scope="col" className="px-3 py-2 font-semibold">
                    {h.isPlaceholder ? null : flexRender(h.column.columnDef.header, h.getContext())}
                  </th>
                ))}
              </tr>
            ))}
          </thead>
          <tbody ref={bodyRef} className="divide-y divide-slate-100">
            {rows.map((row, i) => (
              <tr
                key={row.id}
                tabIndex={i === active ? 0 : -1}
                data-active={i === active ? "" : undefined}
                data-testid="queue-row"
                onClick={() => router.push(`/admin/appraisals/${row.id}`)}
                onFocus={() => setActive(i)}
                className="cursor-pointer outline-none hover:bg-slate-50 focus:bg-brand-50 data-[active]:bg-brand-50/60"
              >
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className="whitespace-nowrap px-3 py-1.5 align-middle">
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav
        aria-label="Queue pages"
        className="flex items-center justify-between border-t border-slate-200 px-3 py-2 text-sm"
      >
        <span className="text-slate-500" aria-live="polite">
          {first}–{first + page.rows.length - 1} of {page.total}
          {opening ? " · opening next item…" : ""}
        </span>
        <span className="flex items-center gap-2">
          {page.page > 1 ? (
            <Link
              href={pageHref(page.page - 1)}
              className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-50"
              rel="prev"
            >
              ← Previous
            </Link>
          ) : null}
          <span className="tabular-nums text-slate-600">
            Page {page.page} of {page.pageCount}
          </span>
          {page.page < page.pageCount ? (
            <Link
              href={pageHref(page.page + 1)}
              className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-50"
              rel="next"
            >
              Next →
            </Link>
          ) : null}
        </span>
      </nav>
    </div>
  );
}
