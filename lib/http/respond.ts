import "server-only";
import { NextResponse } from "next/server";
import { z } from "zod";
import { AppError, isAppError } from "@/lib/errors";
import { logger } from "@/lib/log";

export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

/** The one place an error becomes an HTTP response; unexpected errors are logged and never exposed. */
export function errorResponse(err: unknown): NextResponse<ErrorBody> {
  if (err instanceof z.ZodError) err = fromZodError(err);
  if (isAppError(err)) {
    const headers = err.retryAfter ? { "Retry-After": String(err.retryAfter) } : undefined;
    return NextResponse.json(
      { error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } },
      { status: err.status, headers },
    );
  }
  logger().error({ err }, "unhandled error");
  return NextResponse.json(
    { error: { code: "internal", message: "Something went wrong on our side. Please try again in a moment." } },
    { status: 500 },
  );
}

/** A zod failure as a validation AppError naming the first offending field. */
export function fromZodError(err: z.ZodError): AppError {
  const issue = err.issues[0];
  const field = issue?.path.map(String).join(".") || undefined;
  return new AppError("validation", issue ? `${field ? `${field}: ` : ""}${issue.message}` : "Invalid input", {
    field,
  });
}

type Handler<C> = (req: Request, ctx: C) => Promise<Response>;

/** Wraps a route handler so every thrown error goes through errorResponse. */
export function handle<C>(fn: Handler<C>): Handler<C> {
  return async (req, ctx) => {
    try {
      return await fn(req, ctx);
    } catch (err) {
      return errorResponse(err);
    }
  };
}
