/** Shown when a signed-in reviewer opens a page their role does not include. */
export function Forbidden() {
  return (
    <section className="rounded-lg border border-amber-200 bg-amber-50 p-6" aria-labelledby="forbidden-title">
      <h1 id="forbidden-title" className="text-lg font-semibold text-amber-900">
        Admins only
      </h1>
      <p className="mt-1 text-sm text-amber-900">This page is for admins. Ask an admin if you need access.</p>
    </section>
  );
}
