// Hot pick-up of a promoted model: requests in flight finish on the model they started on, new ones go
// to the promoted model, the old one is disposed only after its last request.
import { describe, expect, it } from "vitest";
import { type ActiveModelRef, createModelSwitcher } from "@/lib/review/model-switcher";

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function fakeModels() {
  const events: string[] = [];
  let active: ActiveModelRef = { id: "v1", dir: "models/v1" };
  return {
    events,
    promote: (id: string) => {
      active = { id, dir: `models/${id}` };
    },
    options: {
      findActive: async () => active,
      load: async (ref: ActiveModelRef) => {
        events.push(`load ${ref.id}`);
        return {
          id: ref.id,
          predict: async (gate: Promise<void>) => {
            await gate;
            return ref.id;
          },
          dispose: async () => {
            events.push(`dispose ${ref.id}`);
          },
        };
      },
    },
  };
}

describe("model switcher", () => {
  it("keeps the old model for in-flight requests and switches new ones to the promoted model", async () => {
    const m = fakeModels();
    const sw = createModelSwitcher(m.options);
    await sw.refresh();
    const gate = deferred();
    const slow = sw.use((s, version) => s.predict(gate.promise).then((by) => ({ by, version })));
    await Promise.resolve();
    m.promote("v2");
    await sw.refresh();
    expect(sw.currentVersion()).toBe("v2");
    // v1 is still serving the slow request: not disposed yet.
    expect(m.events).toEqual(["load v1", "load v2"]);
    const fresh = await sw.use((s, version) => s.predict(Promise.resolve()).then((by) => ({ by, version })));
    expect(fresh).toEqual({ by: "v2", version: "v2" });
    gate.resolve();
    expect(await slow).toEqual({ by: "v1", version: "v1" });
    await new Promise((r) => setTimeout(r, 0));
    expect(m.events).toEqual(["load v1", "load v2", "dispose v1"]);
    await sw.stop();
    expect(m.events.at(-1)).toBe("dispose v2");
  });

  it("many concurrent requests across a switch: none fails, each reports the version that answered it", async () => {
    const m = fakeModels();
    const sw = createModelSwitcher(m.options);
    await sw.refresh();
    const gates = Array.from({ length: 20 }, () => deferred());
    const calls = gates.map((g) => sw.use((s, version) => s.predict(g.promise).then((by) => ({ by, version }))));
    await new Promise((r) => setTimeout(r, 0));
    m.promote("v2");
    const switching = sw.refresh();
    const later = Array.from({ length: 5 }, () =>
      sw.use((s, v) => s.predict(Promise.resolve()).then((by) => ({ by, version: v }))),
    );
    await switching;
    for (const g of gates) g.resolve();
    const results = await Promise.all([...calls, ...later]);
    expect(results).toHaveLength(25);
    for (const r of results) expect(r.by).toBe(r.version);
    expect(results.slice(0, 20).every((r) => r.version === "v1")).toBe(true);
    expect(m.events.filter((e) => e === "dispose v1")).toHaveLength(1);
    await sw.stop();
  });

  it("a promotion that lands while the first model is still loading is picked up by the same refresh", async () => {
    const m = fakeModels();
    const sw = createModelSwitcher(m.options);
    const first = sw.use(async (_s, v) => v);
    m.promote("v2");
    await sw.refresh();
    expect(await first).toBe("v2");
    expect(sw.currentVersion()).toBe("v2");
    await sw.stop();
  });

  it("concurrent refreshes load a new version once; no change means no reload", async () => {
    const m = fakeModels();
    const sw = createModelSwitcher(m.options);
    await Promise.all([sw.refresh(), sw.refresh(), sw.refresh()]);
    await sw.refresh();
    expect(m.events).toEqual(["load v1"]);
    await sw.stop();
  });

  it("a failed load keeps serving the current model", async () => {
    const m = fakeModels();
    let fail = false;
    const sw = createModelSwitcher({
      ...m.options,
      load: async (ref: ActiveModelRef) => {
        if (fail) throw new Error("corrupt weights");
        return m.options.load(ref);
      },
    });
    await sw.refresh();
    fail = true;
    m.promote("v2");
    await expect(sw.refresh()).rejects.toThrow("corrupt weights");
    expect(sw.currentVersion()).toBe("v1");
    expect(await sw.use(async (_s, v) => v)).toBe("v1");
    await sw.stop();
  });

  it("polls for a promoted model on its own", async () => {
    const m = fakeModels();
    const sw = createModelSwitcher({ ...m.options, pollMs: 10 });
    await sw.refresh();
    m.promote("v3");
    await expect.poll(() => sw.currentVersion(), { timeout: 2000 }).toBe("v3");
    await sw.stop();
  });
});
