"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/admin", label: "Queue", exact: true },
  { href: "/admin/audit", label: "Audit log" },
  { href: "/admin/metrics", label: "Metrics" },
];

/** Workspace tabs, the signed-in reviewer and sign-out (a plain form: works without JavaScript). */
export function AdminNav({ name, email, isAdmin }: { name: string; email: string; isAdmin: boolean }) {
  const pathname = usePathname();
  const links = isAdmin ? [...LINKS, { href: "/admin/reviewers", label: "Reviewers" }] : LINKS;
  const isActive = (href: string, exact?: boolean) =>
    exact ? pathname === href || pathname.startsWith("/admin/appraisals") : pathname.startsWith(href);
  return (
    <div className="mb-4 flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 pb-2">
      <nav aria-label="Review workspace" className="flex gap-1 text-sm">
        {links.map((l) => (
          <Link
            key={l.href}
            href={l.href}
            aria-current={isActive(l.href, l.exact) ? "page" : undefined}
            className="rounded-md px-3 py-1.5 font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900 aria-[current=page]:bg-brand-50 aria-[current=page]:text-brand-700"
          >
            {l.label}
          </Link>
        ))}
      </nav>
      <div className="flex items-center gap-3 text-sm text-slate-600">
        <span title={email}>
          {name}
          {isAdmin ? (
            <span className="ml-1 rounded bg-slate-200 px-1.5 py-0.5 text-xs font-medium text-slate-700">admin</span>
          ) : null}
        </span>
        <form action="/api/auth/logout" method="post">
          <button
            type="submit"
            className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium hover:bg-slate-50"
          >
            Sign out
          </button>
        </form>
      </div>
    </div>
  );
}
