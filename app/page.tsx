import { cookies } from "next/headers";
import { AppraisalForm } from "@/components/seller/appraisal-form";
import { RecentQuotes } from "@/components/seller/recent-quotes";
import { listAppraisalsForSeller } from "@/lib/appraisals/get-appraisal";
import { parseSellerToken, SELLER_COOKIE } from "@/lib/appraisals/seller-token";
import { CATEGORIES, CATEGORY_LABELS } from "@/lib/dataset/categories";
import { getEnv } from "@/lib/env";

// Limits come from the server's configuration at request time, so the form checks what the API enforces.
export const dynamic = "force-dynamic";

export default async function HomePage() {
  const env = getEnv();
  const recent = await listAppraisalsForSeller(parseSellerToken((await cookies()).get(SELLER_COOKIE)?.value));
  return (
    <div className="space-y-6 sm:space-y-8">
      <section aria-labelledby="hero" className="space-y-2 sm:space-y-3">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand-600">Free · takes a minute</p>
        <h1 id="hero" className="text-2xl font-bold tracking-tight sm:text-4xl">
          What is your item worth?
        </h1>
        <p className="max-w-2xl text-base text-slate-600 sm:text-lg">
          Add photos of your item — the front first, then the back, then any other angle and close-ups of the label or
          any damage — and get its category and a price quote in seconds.
        </p>
        <ol className="hidden flex-wrap gap-x-6 gap-y-1 text-sm text-slate-600 sm:flex">
          <li>
            <span className="font-semibold text-slate-900">1.</span> Front photo
          </li>
          <li>
            <span className="font-semibold text-slate-900">2.</span> Back, other angles, close-ups
          </li>
          <li>
            <span className="font-semibold text-slate-900">3.</span> Your quote
          </li>
        </ol>
      </section>
      <AppraisalForm
        maxPhotoBytes={env.MAX_PHOTO_BYTES}
        maxPhotos={env.MAX_PHOTOS}
        categories={CATEGORIES.map((value) => ({ value, label: CATEGORY_LABELS[value] }))}
      />
      <RecentQuotes quotes={recent} />
    </div>
  );
}
