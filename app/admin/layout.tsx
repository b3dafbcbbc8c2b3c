import type { Metadata } from "next";
import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { getViewer } from "@/lib/auth/guard";

export const metadata: Metadata = {
  title: { default: "Review queue", template: "%s · Review · Appraise" },
  robots: { index: false },
};

// Every page below checks the session itself (requirePageViewer); the layout only draws the chrome.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const viewer = await getViewer(await cookies());
  return (
    // The review workspace is wider than the seller pages: app/globals.css widens header and main for it.
    <div data-layout="wide" className="-mt-4">
      {viewer ? <AdminNav name={viewer.name} email={viewer.email} isAdmin={viewer.role === "admin"} /> : null}
      {children}
    </div>
  );
}
