import { z } from "zod";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./password-rules";

const email = z.string().trim().toLowerCase().pipe(z.email("must be an email address").max(254));

export const loginSchema = z.object({
  email,
  // No length rule on login beyond a cap: old passwords keep working if the rule changes.
  password: z.string().min(1, "is required").max(MAX_PASSWORD_LENGTH),
});

export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH);

export const reviewerRoleSchema = z.enum(["reviewer", "admin"]);

export const reviewerCreateSchema = z.object({
  email,
  name: z.string().trim().min(1, "is required").max(100),
  role: reviewerRoleSchema.default("reviewer"),
  /** Omitted: a random password is generated and shown once. */
  password: passwordSchema.optional(),
});

export const reviewerUpdateSchema = z
  .object({
    role: reviewerRoleSchema.optional(),
    disabled: z.boolean().optional(),
    resetPassword: z.literal(true).optional(),
  })
  .refine((v) => v.role !== undefined || v.disabled !== undefined || v.resetPassword, "nothing to change");

export type LoginInput = z.infer<typeof loginSchema>;
export type ReviewerCreateInput = z.input<typeof reviewerCreateSchema>;
export type ReviewerUpdateInput = z.infer<typeof reviewerUpdateSchema>;
