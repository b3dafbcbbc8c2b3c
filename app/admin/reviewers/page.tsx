import type { Metadata } from "next";
import { Forbidden } from "@/components/admin/forbidden";
import { ReviewersAdmin } from "@/components/admin/reviewers-admin";
import { requirePageViewer } from "@/lib/auth/page";
import { listReviewers } from "@/lib/auth/reviewers";

export const metadata: Metadata = { title: "Reviewers" };

export default async function ReviewersPage() {
  const viewer = await requirePageViewer("/admin/reviewers", "admin");
  if (viewer === "forbidden") return <Forbidden />;
  const reviewers = await listReviewers();
  return (
    <ReviewersAdmin
      selfId={viewer.id}
      reviewers={reviewers.map((r) => ({
        ...r,
        disabledAt: r.disabledAt?.toISOString() ?? null,
        createdAt: r.createdAt.toISOString(),
        lastLoginAt: r.lastLoginAt?.toISOString() ?? null,
      }))}
    />
  );
}
