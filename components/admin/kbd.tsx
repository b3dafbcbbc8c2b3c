import type { ReactNode } from "react";

/** A keyboard key in help text. */
export function Kbd({ children }: { children: ReactNode }) {
  return (
    <kbd className="rounded border border-slate-300 bg-white px-1 py-px font-mono text-[11px] font-medium text-slate-700 shadow-[0_1px_0_rgb(203_213_225)]">
      {children}
    </kbd>
  );
}
