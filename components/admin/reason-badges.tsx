const TONE: Record<string, string> = {
  low_confidence: "bg-amber-100 text-amber-900",
  wide_price_range: "bg-sky-100 text-sky-900",
  declared_category_mismatch: "bg-violet-100 text-violet-900",
  wrong_slot: "bg-rose-100 text-rose-900",
  poor_photo_quality: "bg-slate-200 text-slate-800",
};

/** Why an item was routed to review, as compact coloured badges. */
export function ReasonBadges({ reasons }: { reasons: { code: string; label: string }[] }) {
  if (reasons.length === 0) return <span className="text-slate-400">—</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {reasons.map((r) => (
        <span
          key={r.code}
          className={`rounded px-1.5 py-0.5 text-xs font-medium ${TONE[r.code] ?? "bg-slate-100 text-slate-700"}`}
        >
          {r.label}
        </span>
      ))}
    </span>
  );
}
