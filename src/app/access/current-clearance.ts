// The clearance a directory shows as current: the highest-level one valid at the instant, its
// validity counted in the node's Party's zone (the one clearance-validity rule, A1.11).
import { findLevel } from "../../domain/classification/levels.ts";
import { isWithin } from "../../domain/time/instants.ts";
import type { AppContext } from "../context.ts";
import { clearanceWindow } from "./clearance-window.ts";

export type ShownClearance = { levelId: string; validFrom: string; validUntil: string };

export function currentClearance(
  ctx: AppContext,
  rows: readonly { level: string; valid_from: string; valid_to: string }[],
  at: string = ctx.now().toISOString(),
): ShownClearance | null {
  const current = rows
    .filter((c) => {
      const w = clearanceWindow(ctx, c);
      return isWithin(at, w.validFrom, w.validUntil);
    })
    .sort((a, b) => findLevel(ctx.pack, b.level).rank - findLevel(ctx.pack, a.level).rank)[0];
  return current
    ? { levelId: current.level, validFrom: current.valid_from, validUntil: current.valid_to }
    : null;
}
