// GET /api/photos/:id/:size – one stored copy of a photo (thumb | display), by id, never by path
import { getPhotoFileForViewer } from "@/lib/appraisals/get-appraisal";
import { photoSizeSchema } from "@/lib/appraisals/schemas";
import { readSellerToken } from "@/lib/appraisals/seller-token";
import { isReviewerRequest } from "@/lib/appraisals/viewer";
import { AppError } from "@/lib/errors";
import { handle } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = handle(async (req: Request, ctx: { params: Promise<{ id: string; size: string }> }) => {
  const { id, size } = await ctx.params;
  const parsedSize = photoSizeSchema.safeParse(size);
  if (!parsedSize.success) throw new AppError("not_found", "Photo not found.");
  const file = await getPhotoFileForViewer(id, parsedSize.data, {
    sellerToken: readSellerToken(req.headers.get("cookie")),
    reviewer: await isReviewerRequest(req),
  });
  if (req.headers.get("if-none-match") === file.etag) return new Response(null, { status: 304 });
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      "Content-Type": file.contentType,
      // Content-addressed and private to the seller: browsers may keep it, shared caches may not.
      "Cache-Control": "private, max-age=31536000, immutable",
      ETag: file.etag,
      "X-Content-Type-Options": "nosniff",
    },
  });
});
