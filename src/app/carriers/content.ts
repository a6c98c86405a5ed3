// The content vault of a node (src/crypto/at-rest): carrier content encrypted at rest, one key per
// carrier wrapped under its bucket's key in the node's key store. One vault per context.
import { type ContentVault, openContentVault } from "../../crypto/at-rest/content-vault.ts";
import type { AppContext } from "../context.ts";

const vaults = new WeakMap<AppContext, ContentVault>();

/** The vault of the context's node (the context's own `vault` if it carries one). */
export function contentVaultOf(ctx: AppContext): ContentVault {
  const own = (ctx as AppContext & { vault?: ContentVault }).vault;
  if (own) return own;
  let vault = vaults.get(ctx);
  if (!vault) {
    vault = openContentVault({ dataDir: ctx.dataDir });
    vaults.set(ctx, vault);
  }
  return vault;
}

/**
 * A1.8: finishes what a crash or a failure left of earlier destructions (a bucket key to replace,
 * old keys to drop from the key store, blobs to shred); returns what is still left, if anything.
 */
export async function finishPendingContentErasures(ctx: AppContext): Promise<string[]> {
  return contentVaultOf(ctx).finishPendingErasures(ctx.db);
}
