import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Forbidden } from "@/components/admin/forbidden";
import { ReviewWorkbench } from "@/components/admin/review-workbench";
import { requirePageViewer } from "@/lib/auth/page";
import { CATEGORIES } from "@/lib/dataset/categories";
import { isAppError } from "@/lib/errors";
import { getReviewDetailOrThrow } from "@/lib/review/detail";
import { categoryLabel } from "@/lib/review/labels";
import { CURRENCIES, REJECT_REASON_LABELS, REJECT_REASONS } from "@/lib/review/schemas";

export const metadata: Metadata = { title: "Appraisal" };

export default async function AppraisalReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const viewer = await requirePageViewer(`/admin/appraisals/${encodeURIComponent(id)}`);
  if (viewer === "forbidden") return <Forbidden />;
  const detail = await getReviewDetailOrThrow(id, viewer).catch((err) => {
    if (isAppError(err) && err.code === "not_found") notFound();
    throw err;
  });
  return (
    <ReviewWorkbench
      detail={detail}
      options={{
        categories: CATEGORIES.map((c) => ({ value: c, label: categoryLabel(c) })),
        currencies: [...CURRENCIES],
        rejectReasons: REJECT_REASONS.map((r) => ({ value: r, label: REJECT_REASON_LABELS[r] })),
      }}
    />
  );
}
