import "server-only";
import { type Algorithm, hash, verify } from "@node-rs/argon2";

// OWASP Password Storage Cheat Sheet, argon2id option 2: m=19 MiB, t=2, p=1. About 30–50 ms on this
// class of machine, which bounds online guessing together with the login rate limit.
const ARGON2ID = 2 as Algorithm; // const enum member; literal because isolatedModules forbids the import
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password as an argon2id PHC string (salted). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** True when the password matches the PHC hash; false (never throws) for malformed hashes. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Spends the same time as a real verification so unknown emails cannot be told apart by latency. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword("dummy-password-for-timing");
  await verifyPassword(await dummyHash, password);
  return false;
}
