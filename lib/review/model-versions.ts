import "server-only";
import { db } from "@/lib/db";
import type { ActiveModelRef } from "./model-switcher";

/** The model version every instance should serve now (the one model:promote made active), or null. */
export async function findActiveModelVersion(): Promise<ActiveModelRef | null> {
  const row = await db().modelVersion.findFirst({
    where: { status: "active" },
    orderBy: { promotedAt: "desc" },
    select: { id: true, dir: true },
  });
  return row;
}
