"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { errorMessageOf, formatDateTime } from "./format";

interface Row {
  id: string;
  email: string;
  name: string;
  role: "reviewer" | "admin";
  disabledAt: string | null;
  createdAt: string;
  lastLoginAt: string | null;
  decisions: number;
}

const control =
  "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30";

/** Admins add, disable/enable, promote/demote and reset reviewers; a new password is shown exactly once. */
export function ReviewersAdmin({ reviewers, selfId }: { reviewers: Row[]; selfId: string }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string; secret?: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setBusy("new");
    const res = await fetch("/api/admin/reviewers", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: data.get("email"), name: data.get("name"), role: data.get("role") }),
    });
    setBusy(null);
    if (!res.ok) return setMessage({ tone: "error", text: await errorMessageOf(res) });
    const body = (await res.json()) as { reviewer: Row; password?: string };
    form.reset();
    setMessage({
      tone: "ok",
      text: `Added ${body.reviewer.email}. Their first password (shown once):`,
      secret: body.password,
    });
    router.refresh();
  }

  async function change(row: Row, patch: Record<string, unknown>, done: string) {
    setBusy(row.id);
    const res = await fetch(`/api/admin/reviewers/${row.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(patch),
    });
    setBusy(null);
    if (!res.ok) return setMessage({ tone: "error", text: await errorMessageOf(res) });
    const body = (await res.json()) as { password?: string };
    setMessage({
      tone: "ok",
      text: body.password ? `${done} New password for ${row.email} (shown once):` : done,
      secret: body.password,
    });
    router.refresh();
  }

  return (
    <section aria-labelledby="reviewers-title" className="space-y-4">
      <h1 id="reviewers-title" className="text-xl font-semibold tracking-tight">
        Reviewers
      </h1>
      <form
        onSubmit={add}
        aria-label="Add a reviewer"
        className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3"
      >
        <label className="flex flex-col text-xs font-medium text-slate-600">
          Name
          <input name="name" required maxLength={100} className={control} />
        </label>
        <label className="flex flex-col text-xs font-medium text-slate-600">
          Email
          <input name="email" type="email" required className={`${control} w-64`} />
        </label>
        <label className="flex flex-col text-xs font-medium text-slate-600">
          Role
          <select name="role" defaultValue="reviewer" className={control}>
            <option value="reviewer">Reviewer</option>
            <option value="admin">Admin</option>
          </select>
        </label>
        <button
          type="submit"
          disabled={busy === "new"}
          className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
        >
          Add reviewer
        </button>
      </form>
      <div aria-live="polite">
        {message ? (
          <div
            role={message.tone === "error" ? "alert" : "status"}
            className={`rounded-md px-3 py-2 text-sm ${message.tone === "error" ? "bg-rose-50 text-rose-900" : "bg-emerald-50 text-emerald-900"}`}
          >
            {message.text}
            {message.secret ? (
              <code className="ml-2 select-all rounded bg-white px-2 py-0.5 font-mono text-slate-900 ring-1 ring-emerald-200">
                {message.secret}
              </code>
            ) : null}
          </div>
        ) : null}
      </div>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              {["Name", "Email", "Role", "Status", "Decisions", "Last sign-in", "Actions"].map((h) => (
                <th key={h} scope="col" className="px-3 py-2 font-semibold">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {reviewers.map((r) => {
              const self = r.id === selfId;
              const disabled = r.disabledAt !== null;
              return (
                <tr key={r.id} className={disabled ? "text-slate-400" : ""}>
                  <th scope="row" className="px-3 py-1.5 text-left font-medium">
                    {r.name}
                    {self ? <span className="ml-1 text-xs text-slate-500">(you)</span> : null}
                  </th>
                  <td className="px-3 py-1.5">{r.email}</td>
                  <td className="px-3 py-1.5">{r.role}</td>
                  <td className="px-3 py-1.5">{disabled ? "Disabled" : "Active"}</td>
                  <td className="px-3 py-1.5 tabular-nums">{r.decisions}</td>
                  <td className="px-3 py-1.5">{r.lastLoginAt ? formatDateTime(r.lastLoginAt) : "never"}</td>
                  <td className="px-3 py-1.5">
                    <span className="flex flex-wrap gap-1.5">
                      <button
                        type="button"
                        disabled={self || busy === r.id}
                        onClick={() =>
                          change(
                            r,
                            { disabled: !disabled },
                            disabled ? `Enabled ${r.email}.` : `Disabled ${r.email}; their sessions were ended.`,
                          )
                        }
                        className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-50 disabled:opacity-40"
                      >
                        {disabled ? "Enable" : "Disable"}
                      </button>
                      <button
                        type="button"
                        disabled={self || busy === r.id}
                        onClick={() =>
                          change(
                            r,
                            { role: r.role === "admin" ? "reviewer" : "admin" },
                            `Changed the role of ${r.email}.`,
                          )
                        }
                        className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-50 disabled:opacity-40"
                      >
                        {r.role === "admin" ? "Make reviewer" : "Make admin"}
                      </button>
                      <button
                        type="button"
                        disabled={self || busy === r.id}
                        onClick={() => {
                          if (window.confirm(`Reset the password of ${r.email}? Their sessions end now.`)) {
                            void change(r, { resetPassword: true }, "Password reset.");
                          }
                        }}
                        className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-50 disabled:opacity-40"
                      >
                        Reset password
                      </button>
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
