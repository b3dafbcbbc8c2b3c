import type { Metadata } from "next";
import { cookies } from "next/headers";
import { notFound } from "next/navigation";
import { QuoteView } from "@/components/seller/quote-view";
import { getAppraisalForViewer } from "@/lib/appraisals/get-appraisal";
import { parseSellerToken, SELLER_COOKIE } from "@/lib/appraisals/seller-token";
import { isReviewerRequest } from "@/lib/appraisals/viewer";
import { isAppError } from "@/lib/errors";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your quote", robots: { index: false } };

export default async function QuotePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const jar = await cookies();
  try {
    const quote = await getAppraisalForViewer(id, {
      sellerToken: parseSellerToken(jar.get(SELLER_COOKIE)?.value),
      reviewer: await isReviewerRequest(jar),
    });
    return <QuoteView initial={quote} />;
  } catch (err) {
    if (isAppError(err) && err.code === "not_found") notFound();
    throw err;
  }
}
