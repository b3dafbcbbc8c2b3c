import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadManifest, ManifestError, parseManifest, writeManifest } from "@/lib/dataset/manifest";
import type { ManifestItem } from "@/lib/dataset/schemas";

const item = (overrides: Partial<ManifestItem> = {}): ManifestItem => ({
  itemId: "item-000001",
  category: "smartphone",
  price: 312.5,
  currency: "EUR",
  split: "train",
  photos: [
    { path: "photos/item-000001/0.jpg", slot: 0, view: "front" },
    { path: "photos/item-000001/1.jpg", slot: 1, view: "back" },
  ],
  attributes: { brandTier: "mid", condition: { front: 2, back: 0, sides: 1 }, colour: "black", extra: "kept" },
  ...overrides,
});

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "manifest-test-"));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe("manifest round trip", () => {
  it("writes and loads the same items, keeping unknown attributes", async () => {
    const items = [
      item(),
      item({ itemId: "item-000002", category: "camera", split: undefined, attributes: undefined }),
    ];
    await writeManifest(dir, items);
    const loaded = await loadManifest(dir);
    // JSON drops the undefined optional fields, exactly as the file does.
    expect(loaded).toEqual(JSON.parse(JSON.stringify(items)));
    expect(loaded[0].attributes?.extra).toBe("kept");
  });

  it("accepts the example lines documented in the README", async () => {
    const doc = await fs.readFile(path.resolve(import.meta.dirname, "../../../README.md"), "utf8");
    const lines = doc.split("\n").filter((line) => line.startsWith('{"itemId"'));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(parseManifest(lines.join("\n")).map((i) => i.itemId)).toEqual(["item-000001", "item-000002"]);
  });

  it("skips blank lines and accepts CRLF", () => {
    const line = JSON.stringify(item());
    expect(parseManifest(`\r\n${line}\r\n\r\n`)).toHaveLength(1);
  });

  it("checks that photo files exist when asked", async () => {
    await writeManifest(dir, [item()]);
    await expect(loadManifest(dir, { checkFiles: true })).rejects.toThrow(
      /line 1, field photos\[0\]\.path: file not found/,
    );
    await fs.mkdir(path.join(dir, "photos/item-000001"), { recursive: true });
    await fs.writeFile(path.join(dir, "photos/item-000001/0.jpg"), "x");
    await fs.writeFile(path.join(dir, "photos/item-000001/1.jpg"), "x");
    await expect(loadManifest(dir, { checkFiles: true })).resolves.toHaveLength(1);
  });

  it("reports a missing manifest as not_found", async () => {
    await expect(loadManifest(dir)).rejects.toMatchObject({ code: "not_found" });
  });

  it("refuses to write an invalid item", async () => {
    await expect(writeManifest(dir, [item({ price: -1 })])).rejects.toBeInstanceOf(ManifestError);
  });
});

describe("malformed manifests name the line and the field", () => {
  const good = JSON.stringify(item());
  const cases: Array<[string, unknown, RegExp, string | undefined]> = [
    ["invalid JSON", "{not json", /line 2: not valid JSON/, undefined],
    ["missing price", { ...item(), price: undefined }, /line 2, field price/, "price"],
    ["unknown category", { ...item(), category: "bicycle" }, /line 2, field category/, "category"],
    [
      "slot out of range",
      { ...item(), photos: [{ path: "a.jpg", slot: 8 }] },
      /field photos\[0\]\.slot/,
      "photos[0].slot",
    ],
    [
      "duplicate slot",
      {
        ...item(),
        photos: [
          { path: "a.jpg", slot: 0 },
          { path: "b.jpg", slot: 0 },
        ],
      },
      /field photos\[1\]\.slot: slot 0 is used twice/,
      "photos[1].slot",
    ],
    [
      "absolute path",
      { ...item(), photos: [{ path: "/etc/passwd", slot: 0 }] },
      /field photos\[0\]\.path: must be relative/,
      "photos[0].path",
    ],
    [
      "parent path",
      { ...item(), photos: [{ path: "photos/../../x.jpg", slot: 0 }] },
      /field photos\[0\]\.path: must not contain '\.\.'/,
      "photos[0].path",
    ],
    [
      "windows path",
      { ...item(), photos: [{ path: "C:\\x.jpg", slot: 0 }] },
      /field photos\[0\]\.path/,
      "photos[0].path",
    ],
    ["no photos", { ...item(), photos: [] }, /field photos/, "photos"],
    [
      "bad view",
      { ...item(), photos: [{ path: "a.jpg", slot: 0, view: "inside" }] },
      /field photos\[0\]\.view/,
      "photos[0].view",
    ],
    ["bad currency", { ...item(), currency: "euro" }, /field currency/, "currency"],
    [
      "bad damage level",
      { ...item(), attributes: { condition: { front: 7 } } },
      /field attributes\.condition\.front/,
      "attributes.condition.front",
    ],
    ["duplicate itemId", item(), /line 2, field itemId: "item-000001" already used on line 1/, "itemId"],
  ];

  it.each(cases)("%s", (_name, second, message, field) => {
    const text = `${good}\n${typeof second === "string" ? second : JSON.stringify(second)}\n`;
    let error: unknown;
    try {
      parseManifest(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ManifestError);
    const manifestError = error as ManifestError;
    expect(manifestError.message).toMatch(message);
    expect(manifestError.line).toBe(2);
    expect(manifestError.field).toBe(field);
    expect(manifestError.code).toBe("invalid");
  });
});
