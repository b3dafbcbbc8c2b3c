import Link from "next/link";

export function SiteHeader() {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-(--page-width,64rem) items-center justify-between px-4 py-3 sm:px-6">
        <Link href="/" className="flex items-center gap-2 text-lg font-semibold text-slate-900">
          <span aria-hidden="true" className="grid h-8 w-8 place-items-center rounded-lg bg-brand-600 text-white">
            A
          </span>
          Appraise
        </Link>
        <nav aria-label="Main" className="text-sm">
          <Link href="/admin" className="rounded px-2 py-1 text-slate-600 hover:text-slate-900">
            Reviewers
          </Link>
        </nav>
      </div>
    </header>
  );
}
