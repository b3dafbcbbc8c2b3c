// GET /api/admin/photos/:id/:size – a photo's thumb or display copy for reviewers, by photo id
import { z } from "zod";
import { getPhotoFileForViewer } from "@/lib/appraisals/get-appraisal";
import { photoSizeSchema } from "@/lib/appraisals/schemas";
import { reviewerRoute } from "@/lib/auth/route";

type Ctx = { params: Promise<{ id: string; size: string }> };

const paramsSchema = z.object({ id: z.string().min(1).max(100), size: photoSizeSchema });

export const GET = reviewerRoute<Ctx>({ role: "reviewer" }, async (_req, ctx) => {
  const { id, size } = paramsSchema.parse(await ctx.params);
  const { bytes, contentType } = await getPhotoFileForViewer(id, size, { reviewer: true });
  // Private: only signed-in reviewers may see it; photos are immutable, so the browser may keep them.
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": contentType,
      "Cache-Control": "private, max-age=3600",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
