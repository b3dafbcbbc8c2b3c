"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { errorMessageOf } from "./format";

/** Email + password; shows the server's message (wrong credentials, rate limit with its wait) inline. */
export function LoginForm({ next }: { next: string }) {
  const router = useRouter();
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const res = await fetch("/api/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: form.get("email"), password: form.get("password") }),
      });
      if (!res.ok) {
        const body = (await res
          .clone()
          .json()
          .catch(() => null)) as { error?: { field?: string } } | null;
        setError({ message: await errorMessageOf(res), field: body?.error?.field });
        return;
      }
      router.replace(next);
      router.refresh();
    } catch {
      setError({ message: "Could not reach the server. Check your connection and try again." });
    } finally {
      setPending(false);
    }
  }

  const input =
    "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30";
  return (
    <form onSubmit={onSubmit} className="mt-5 space-y-4" noValidate={false}>
      <div>
        <label htmlFor="email" className="block text-sm font-medium text-slate-700">
          Email
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          className={input}
          aria-invalid={error?.field === "email"}
        />
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-medium text-slate-700">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className={input}
          aria-invalid={error?.field === "password"}
          aria-describedby={error ? "login-error" : undefined}
        />
      </div>
      <div aria-live="polite" id="login-error">
        {error ? <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{error.message}</p> : null}
      </div>
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-brand-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 disabled:opacity-60"
      >
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
