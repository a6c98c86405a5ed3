// The content vault of a node (src/crypto/at-rest): carrier content encrypted at rest, one key per
// carrier wrapped by the node's key. One vault per context (the wrapping key is read once).
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
