import { describe, expect, it } from "vitest";
import { UPLOAD_MAX_SIDE } from "@/components/seller/shrink";
import { DERIVATIVE_SIZES } from "@/lib/images";

describe("browser-side shrinking", () => {
  // Smaller would throw away detail the reviewer's copy could have kept; larger makes sellers upload,
  // and the server decode, pixels that are discarded right away.
  it("sends exactly the largest copy the server keeps", () => {
    expect(UPLOAD_MAX_SIDE).toBe(DERIVATIVE_SIZES.display);
  });
});
