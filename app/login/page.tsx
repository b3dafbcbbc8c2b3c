import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/admin/login-form";
import { getViewer } from "@/lib/auth/guard";
import { safeNextPath } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Reviewer sign-in", robots: { index: false } };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  const next = safeNextPath(typeof sp.next === "string" ? sp.next : undefined);
  if (await getViewer(await cookies())) redirect(next);
  return (
    <section aria-labelledby="login-title" className="mx-auto mt-6 w-full max-w-sm">
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h1 id="login-title" className="text-xl font-semibold tracking-tight">
          Reviewer sign-in
        </h1>
        <p className="mt-1 text-sm text-slate-600">
          For the appraisal specialists who check quotes the model is unsure of.
        </p>
        <LoginForm next={next} />
      </div>
    </section>
  );
}
