import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { contentTypeFor, getPhotoStorage } from "@/lib/images";
import { QUOTE_INCLUDE } from "./queries";
import { type Quote, toQuote } from "./quote";
import { appraisalIdSchema, type PhotoSize, photoIdSchema } from "./schemas";
import { hashSellerToken } from "./seller-token";

/** Who is asking: the seller's cookie token, and whether lib/auth found a signed-in reviewer. */
export interface Viewer {
  sellerToken?: string;
  reviewer?: boolean;
}

// One answer for "does not exist" and "not yours", so ids cannot be probed.
const notFound = () => new AppError("not_found", "We couldn't find that appraisal.");

function canView(row: { sellerTokenHash: string }, viewer: Viewer): boolean {
  if (viewer.reviewer) return true;
  return viewer.sellerToken !== undefined && hashSellerToken(viewer.sellerToken) === row.sellerTokenHash;
}

/** The quote for its seller or a reviewer; anyone else gets not_found (404). */
export async function getAppraisalForViewer(id: string, viewer: Viewer): Promise<Quote> {
  if (!appraisalIdSchema.safeParse(id).success) throw notFound();
  const row = await db().appraisal.findUnique({ where: { id }, include: QUOTE_INCLUDE });
  if (!row?.prediction || !canView(row, viewer)) throw notFound();
  return toQuote(row);
}

/** A stored copy of one photo, by photo id and size (never by path), for whoever may see its appraisal. */
export async function getPhotoFileForViewer(
  photoId: string,
  size: PhotoSize,
  viewer: Viewer,
): Promise<{ bytes: Buffer; contentType: string; etag: string }> {
  const missing = () => new AppError("not_found", "Photo not found.");
  if (!photoIdSchema.safeParse(photoId).success) throw missing();
  const photo = await db().photo.findUnique({
    where: { id: photoId },
    select: {
      displayKey: true,
      thumbKey: true,
      appraisal: { select: { sellerTokenHash: true } },
    },
  });
  if (!photo || !canView(photo.appraisal, viewer)) throw missing();
  const key = size === "display" ? photo.displayKey : photo.thumbKey;
  const storage = await getPhotoStorage();
  const bytes = await storage.get(key);
  return { bytes, contentType: contentTypeFor(key), etag: `"${key.slice(0, 64)}"` };
}

/** One line of a seller's history: enough to recognise an item and go back to its quote. */
export interface QuoteSummary {
  id: string;
  status: Quote["status"];
  createdAt: string;
  categoryLabel: string;
  price: number;
  currency: string;
  thumbUrl: string | null;
}

/** The seller's latest appraisals (newest first); none without a token. */
export async function listAppraisalsForSeller(sellerToken: string | undefined, limit = 5): Promise<QuoteSummary[]> {
  if (!sellerToken) return [];
  const rows = await db().appraisal.findMany({
    where: { sellerTokenHash: hashSellerToken(sellerToken), prediction: { isNot: null } },
    orderBy: { createdAt: "desc" },
    take: limit,
    include: QUOTE_INCLUDE,
  });
  return rows.map((row) => {
    const quote = toQuote(row);
    return {
      id: quote.id,
      status: quote.status,
      createdAt: quote.createdAt,
      categoryLabel: quote.final?.categoryLabel ?? quote.categoryLabel,
      price: quote.final?.price ?? quote.price.p50,
      currency: quote.final?.price != null ? quote.final.currency : quote.price.currency,
      thumbUrl: quote.photos[0]?.thumbUrl ?? null,
    };
  });
}
