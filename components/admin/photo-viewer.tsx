"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { DetailPhoto } from "@/lib/review/detail";
import { formatPercent } from "./format";

const SLOT_NAMES = ["Front", "Back"];
export const slotLabel = (slot: number) => SLOT_NAMES[slot] ?? `Other ${slot - 1}`;

/** Photos in slot order with the model's per-photo attention and view guess; click or 1–8 to zoom. */
export function PhotoGrid({ photos, onOpen }: { photos: DetailPhoto[]; onOpen: (index: number) => void }) {
  const maxAttention = Math.max(...photos.map((p) => p.attention ?? 0), 0.0001);
  return (
    <ol className="grid grid-cols-2 gap-3 xl:grid-cols-3" aria-label="Photos in slot order">
      {photos.map((p, i) => {
        const mismatch =
          p.viewGuess && ((p.slot === 0 && p.viewGuess !== "front") || (p.slot === 1 && p.viewGuess !== "back"));
        return (
          <li key={p.id} className="overflow-hidden rounded-lg border border-slate-200 bg-white">
            <button
              type="button"
              onClick={() => onOpen(i)}
              className="group relative block w-full bg-slate-100"
              aria-label={`Zoom ${slotLabel(p.slot)} photo (key ${i + 1})`}
            >
              {/* biome-ignore lint/performance/noImgElement: authenticated photo from our own handler */}
              <img
                src={`/api/admin/photos/${p.id}/display`}
                alt={`${slotLabel(p.slot)} of the item`}
                className="aspect-square w-full object-contain transition group-hover:opacity-90"
              />
              <span className="absolute left-1.5 top-1.5 rounded bg-slate-900/75 px-1.5 py-0.5 text-xs font-medium text-white">
                {i + 1} · {slotLabel(p.slot)}
              </span>
            </button>
            <div className="space-y-1 px-2 py-1.5 text-xs">
              <div className="flex items-center justify-between gap-2">
                <span className={mismatch ? "font-semibold text-rose-700" : "text-slate-600"}>
                  looks like: {p.viewGuess ?? "—"}
                  {p.viewProbability !== null ? ` (${formatPercent(p.viewProbability)})` : ""}
                </span>
                <span className="tabular-nums text-slate-500" title="Share of the model's attention">
                  attn {formatPercent(p.attention)}
                </span>
              </div>
              <div className="h-1 rounded bg-slate-100" aria-hidden="true">
                <div
                  className="h-1 rounded bg-brand-500"
                  style={{ width: `${((p.attention ?? 0) / maxAttention) * 100}%` }}
                />
              </div>
              {p.qualityFlags.length ? (
                <ul className="flex flex-wrap gap-1">
                  {p.qualityFlags.map((f) => (
                    <li
                      key={f.code}
                      title={f.message}
                      className={`rounded px-1 py-px ${f.severity === "serious" ? "bg-rose-100 text-rose-800" : "bg-amber-100 text-amber-800"}`}
                    >
                      {f.code.replace(/_/g, " ")}
                      {typeof f.value === "number" ? ` ${f.value}` : ""}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/** Full-screen photo with zoom (click, +/−, wheel) and pan (drag); ←/→ between photos, Esc closes. */
export function Lightbox({
  photos,
  index,
  onIndex,
  onClose,
}: {
  photos: DetailPhoto[];
  index: number;
  onIndex: (i: number) => void;
  onClose: () => void;
}) {
  const [zoom, setZoom] = useState(1);
  const [offset, setOffset] = useState({ x: 0, y: 0 });
  const drag = useRef<{ x: number; y: number } | null>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const photo = photos[index];

  const reset = useCallback(() => {
    setZoom(1);
    setOffset({ x: 0, y: 0 });
  }, []);

  // Focus moves into the dialog and, when it closes, back to whatever opened it.
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    return () => opener?.focus?.();
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset whenever the photo changes
  useEffect(reset, [index, reset]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.key === "Tab") {
        // Keep Tab inside the dialog (aria-modal).
        const focusable = [...document.querySelectorAll<HTMLElement>("[data-lightbox] button")];
        const i = focusable.indexOf(document.activeElement as HTMLElement);
        focusable[(i + (e.shiftKey ? -1 : 1) + focusable.length) % focusable.length]?.focus();
      } else if (e.key === "Escape") onClose();
      else if (e.key === "ArrowRight") onIndex((index + 1) % photos.length);
      else if (e.key === "ArrowLeft") onIndex((index - 1 + photos.length) % photos.length);
      else if (e.key === "+" || e.key === "=") setZoom((z) => Math.min(6, z * 1.5));
      else if (e.key === "-") setZoom((z) => Math.max(1, z / 1.5));
      else if (e.key === "0") reset();
      else return;
      e.preventDefault();
      e.stopPropagation();
    }
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, [index, photos.length, onIndex, onClose, reset]);

  if (!photo) return null;
  return (
    <div
      role="dialog"
      aria-modal="true"
      aria-label={`${slotLabel(photo.slot)} photo, zoom ${Math.round(zoom * 100)}%`}
      data-lightbox=""
      className="fixed inset-0 z-50 flex flex-col bg-slate-950/95 text-white"
    >
      <div className="flex items-center justify-between gap-3 px-4 py-2 text-sm">
        <span>
          {index + 1}/{photos.length} · {slotLabel(photo.slot)} · {photo.width}×{photo.height} · looks like{" "}
          {photo.viewGuess ?? "—"}
        </span>
        <span className="flex items-center gap-2">
          <button
            type="button"
            className="rounded bg-white/10 px-2 py-1 hover:bg-white/20"
            onClick={() => setZoom((z) => Math.max(1, z / 1.5))}
          >
            −
          </button>
          <span className="w-12 text-center tabular-nums">{Math.round(zoom * 100)}%</span>
          <button
            type="button"
            className="rounded bg-white/10 px-2 py-1 hover:bg-white/20"
            onClick={() => setZoom((z) => Math.min(6, z * 1.5))}
          >
            +
          </button>
          <button
            ref={closeRef}
            type="button"
            className="rounded bg-white/10 px-2 py-1 hover:bg-white/20"
            onClick={onClose}
          >
            Close (Esc)
          </button>
        </span>
      </div>
      <div
        className="relative flex-1 cursor-zoom-in overflow-hidden"
        onWheel={(e) => setZoom((z) => Math.min(6, Math.max(1, z * (e.deltaY < 0 ? 1.15 : 1 / 1.15))))}
        onPointerDown={(e) => {
          drag.current = { x: e.clientX - offset.x, y: e.clientY - offset.y };
        }}
        onPointerMove={(e) => {
          if (drag.current && zoom > 1) setOffset({ x: e.clientX - drag.current.x, y: e.clientY - drag.current.y });
        }}
        onPointerUp={(e) => {
          const start = drag.current;
          drag.current = null;
          // A click without a drag toggles between fit and 2.5×.
          if (start && Math.abs(e.clientX - start.x - offset.x) < 4 && Math.abs(e.clientY - start.y - offset.y) < 4) {
            if (zoom > 1) reset();
            else setZoom(2.5);
          }
        }}
      >
        {/* biome-ignore lint/performance/noImgElement: authenticated photo from our own handler */}
        <img
          // The display copy is the largest kept (800 px): zooming it in shows as much as the server has.
          src={`/api/admin/photos/${photo.id}/display`}
          alt={`${slotLabel(photo.slot)} of the item, zoomed`}
          draggable={false}
          className="absolute inset-0 m-auto max-h-full max-w-full select-none object-contain"
          style={{
            transform: `translate(${offset.x}px, ${offset.y}px) scale(${zoom})`,
            transition: drag.current ? "none" : "transform 120ms",
          }}
        />
      </div>
    </div>
  );
}
