/** A labelled progress bar; `value` null means "working, no known fraction" (indeterminate). */
export function ProgressBar({ value, label }: { value: number | null; label: string }) {
  const pct = value === null ? null : Math.round(Math.max(0, Math.min(1, value)) * 100);
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct ?? undefined}
      aria-valuetext={pct === null ? label : `${pct}%`}
      className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
    >
      <div
        className={`h-full rounded-full bg-brand-600 transition-[width] duration-200 ${pct === null ? "w-full animate-pulse" : ""}`}
        style={pct === null ? undefined : { width: `${pct}%` }}
      />
    </div>
  );
}
