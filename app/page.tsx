export default function HomePage() {
  return (
    <section aria-labelledby="hero" className="space-y-4">
      <h1 id="hero" className="text-3xl font-bold tracking-tight sm:text-4xl">
        What is your item worth?
      </h1>
      <p className="max-w-2xl text-lg text-slate-600">
        Add photos of your item — the front first, then the back, then any other angle — and get its category and a
        price quote in seconds.
      </p>
    </section>
  );
}
