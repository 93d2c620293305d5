/**
 * Reading work over HTTP: GET /instances/:id/work pages by the `Link: <...>; rel="next"`
 * header through a where filter, sorts both ways, adds `?attributes=a,b` per row, and names
 * holders; a unit shows its holder and links; history rows carry actor names and reasoning.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { useHttp } from "./support.js";

interface Row {
  uowId: string;
  createdAt: string;
  heldBy: string | null;
  leaseExpiresAt: string | null;
  attributes?: Record<string, unknown>;
}

const nextLink = (header: string | null) => /^<([^>]+)>; rel="next"$/.exec(header ?? "")?.[1] ?? null;

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`reading work over HTTP on ${engine.name}`, () => {
    const h = useChameleon(engine);
    const api = useHttp(h);
    let inst: string;
    const numbers = new Map<string, number>();

    beforeAll(async () => {
      inst = (
        await h.ch.instances.create({
          workflow: "Minimal",
          name: uniqueName("httpread"),
          actors: [{ name: "Ada", type: "HUMAN", identityKey: "ada@example.com", roles: ["Work"] }],
        })
      ).instanceId;
      for (let i = 0; i < 250; i += 125) {
        const made = await h.ch.work.startMany(
          inst,
          Array.from({ length: 125 }, (_, j) => {
            const n = i + j;
            return { attributes: { n, amount: n * 100, vendor: n % 2 === 0 ? "ACME" : "Other" } };
          }),
        );
        made.forEach((u, j) => numbers.set(u.uowId, i + j));
      }
    });

    /** Follows Link headers from `first`; every page and the URLs followed. */
    async function follow(first: string): Promise<{ pages: Row[][]; urls: string[] }> {
      const pages: Row[][] = [];
      const urls: string[] = [];
      let url: string | null = first;
      while (url !== null && pages.length < 100) {
        urls.push(url);
        const reply = await api.call<Row[]>("GET", url);
        expect(reply.status, reply.text).toBe(200);
        pages.push(reply.body);
        url = nextLink(reply.headers.get("link"));
      }
      return { pages, urls };
    }

    it("pages through 250 units with a where filter by the Link header", async () => {
      const where = encodeURIComponent("amount > 5000 and vendor == 'ACME'");
      const { pages, urls } = await follow(`/instances/${inst}/work?where=${where}&limit=25&attributes=amount,vendor`);
      const seen = pages.flat();
      const all = (await h.ch.work.list(inst, {})).filter((u) => {
        const n = numbers.get(u.uowId)!;
        return n > 50 && n % 2 === 0;
      });
      expect(seen.map((u) => u.uowId)).toEqual(all.map((u) => u.uowId));
      expect(pages).toHaveLength(4);
      expect(pages.map((p) => p.length)).toEqual([25, 25, 25, 24]);
      // The next URL keeps the filters and sets after to the last unit of the page.
      expect(urls[1]).toContain(`after=${pages[0]![24]!.uowId}`);
      expect(new URL(urls[1]!, "http://x").searchParams.get("where")).toBe("amount > 5000 and vendor == 'ACME'");
      for (const row of seen) {
        const n = numbers.get(row.uowId)!;
        expect(row.attributes).toEqual({ amount: n * 100, vendor: "ACME" });
      }
    });

    it("sorts both ways and pages through every unit once", async () => {
      const asc = (await follow(`/instances/${inst}/work?sort=createdAt&limit=60`)).pages.flat();
      const desc = (await follow(`/instances/${inst}/work?sort=createdAt&order=desc&limit=60`)).pages.flat();
      expect(asc).toHaveLength(250);
      expect(new Set(asc.map((u) => u.uowId)).size).toBe(250);
      expect(desc.map((u) => u.uowId)).toEqual([...asc].reverse().map((u) => u.uowId));
      const times = asc.map((u) => Date.parse(u.createdAt));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(asc[0]!.attributes).toBeUndefined();
    });

    it("sends no Link header on the last page", async () => {
      const reply = await api.call<Row[]>("GET", `/instances/${inst}/work?limit=250`);
      expect(reply.body).toHaveLength(250);
      expect(reply.headers.get("link")).toBeNull();
      const short = await api.call<Row[]>("GET", `/instances/${inst}/work?limit=249`);
      expect(nextLink(short.headers.get("link"))).toContain(`after=${short.body[248]!.uowId}`);
    });

    it("names the holder and lease on rows and on the unit; history carries actor names and reasoning", async () => {
      const lease = (await h.ch.work.checkout(inst, { role: "Work", actorId: "Ada" }))!;
      const held = await api.call<Row[]>("GET", `/instances/${inst}/work?heldBy=Ada`);
      expect(held.body.map((u) => u.uowId)).toEqual([lease.uowId]);
      expect(held.body[0]).toMatchObject({ heldBy: "Ada" });
      expect(Date.parse(held.body[0]!.leaseExpiresAt!)).toBeGreaterThan(Date.now() - 60_000);
      const unit = await api.call<Record<string, unknown>>("GET", `/instances/${inst}/work/${lease.uowId}`);
      expect(unit.body).toMatchObject({ heldBy: "Ada", attempt: 1, children: [], nestedCopy: null });
      await h.ch.work.submit(inst, {
        uowId: lease.uowId,
        leaseToken: lease.leaseToken,
        actorId: "Ada",
        attributes: { ok: true },
        reasoning: "checked the order",
      });
      const history = await api.call<Record<string, unknown>[]>(
        "GET",
        `/instances/${inst}/work/${lease.uowId}/history`,
      );
      expect(history.body.find((e) => e.event === "SUBMIT")).toMatchObject({
        actorName: "Ada",
        actorType: "HUMAN",
        reasoning: "checked the order",
      });
      const versions = await api.call<Record<string, unknown>[]>(
        "GET",
        `/instances/${inst}/work/${lease.uowId}/attributes/history?key=ok`,
      );
      expect(versions.body).toMatchObject([{ key: "ok", actorName: "Ada", reasoning: "checked the order" }]);
    });

    it("answers a where that is not a condition and an unknown sort with a 400 naming them", async () => {
      const bad = await api.call<{ error: string; message: string }>(
        "GET",
        `/instances/${inst}/work?where=${encodeURIComponent("amount >")}`,
      );
      expect(bad.status).toBe(400);
      expect(bad.text).toContain("where");
      const sort = await api.call("GET", `/instances/${inst}/work?sort=vendor`);
      expect(sort.status).toBe(400);
      expect(sort.text).toContain("sort");
    });
  });
}
