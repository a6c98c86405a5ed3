// A clearance's validity as instants, its calendar dates counted in the node's Party's time zone
// (A1.11): the one clearance-validity rule of the node.
import { Temporal } from "temporal-polyfill";
import { findParty } from "../../domain/classification/levels.ts";
import type { AppContext } from "../context.ts";

/**
 * A clearance's validity `[valid_from, valid_to]` (calendar dates, `valid_to` inclusive) as the
 * instants the access decision compares, the dates counted in the node's Party's time zone.
 */
export function clearanceWindow(
  ctx: AppContext,
  clearance: { readonly valid_from: string; readonly valid_to: string },
): { validFrom: string; validUntil: string } {
  const zone = findParty(ctx.pack, ctx.config.party).timeZone;
  const key = `${zone}|${clearance.valid_from}|${clearance.valid_to}`;
  let window = windows.get(key);
  if (!window) {
    const start = (date: Temporal.PlainDate) =>
      date.toZonedDateTime({ timeZone: zone }).toInstant().toString();
    window = {
      validFrom: start(Temporal.PlainDate.from(clearance.valid_from.slice(0, 10))),
      validUntil: start(Temporal.PlainDate.from(clearance.valid_to.slice(0, 10)).add({ days: 1 })),
    };
    if (windows.size > 10_000) windows.clear();
    windows.set(key, window);
  }
  return { ...window };
}

// Time-zone arithmetic is slow and clearances are few: their windows are computed once.
const windows = new Map<string, { validFrom: string; validUntil: string }>();
