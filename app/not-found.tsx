import Link from "next/link";

export default function NotFound() {
  return (
    <section className="space-y-3">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-slate-600">The page you are looking for does not exist or is not yours to see.</p>
      <Link href="/" className="text-brand-600 underline">
        Get a quote
      </Link>
    </section>
  );
}
