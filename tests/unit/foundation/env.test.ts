import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "@/lib/env";

describe("parseEnv", () => {
  it("applies defaults for an empty environment", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ DATA_DIR: "./data", PORT: 3000, MAX_PHOTOS: 8, MAX_PHOTO_BYTES: 20 * 1024 * 1024 });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it.each([
    ["DATABASE_URL", { DATABASE_URL: "mysql://x" }],
    ["PORT", { PORT: "seventy" }],
    ["PORT", { PORT: "70000" }],
    ["MAX_PHOTOS", { MAX_PHOTOS: "-1" }],
    ["SESSION_SECRET", { SESSION_SECRET: "short" }],
    ["ADMIN_EMAIL", { ADMIN_EMAIL: "not-an-email" }],
  ])("names %s when it is invalid", (name, raw) => {
    expect(() => parseEnv(raw)).toThrow(ConfigError);
    expect(() => parseEnv(raw)).toThrow(new RegExp(`${name}:`));
  });
});
