/**
 * The one visibility rule of a node (A4.2, A1.11, A6.2): what a person may learn of a carrier.
 * Built on the access decision ({@link decideAccess}):
 *  - **content**: exactly the access decision;
 *  - **record** (registration number, title, level, state, history — never the content): the
 *    access decision allows it, or the person keeps the registry the record is in (a registry
 *    officer of that body) or oversees the Party's registry (an officer of the competent authority,
 *    an auditor), or had need-to-know on a carrier that has left custody (its whereabouts stay
 *    known to them) — in each case with a valid personal clearance AND a valid facility clearance of
 *    at least the carrier's level at the time (no read-up, not even of a title).
 * Neither is shown to a person who has not acknowledged their obligations (A4.4): until then they do
 * not learn that any carrier exists.
 * Lists, counts, searches, lineage and history all ask this rule, so nothing a view would refuse is
 * shown, counted or hinted at anywhere.
 */
import type { ArticleId } from "../articles.ts";
import { isWithin } from "../time/instants.ts";
import type { Clearance } from "./access-decision.ts";
import { type AccessDecision, type AccessRequest, decideAccess } from "./access-decision.ts";

/** What the person is, beyond the access request, for the record rule. */
export type Viewer = {
  /** The person keeps the registry of their own body (a registry officer). */
  readonly keepsRegistry: boolean;
  /** The person oversees the whole registry of the node's Party (competent authority officer, auditor). */
  readonly overseesRegistry: boolean;
};

export type VisibilityRequest = AccessRequest & {
  readonly viewer: Viewer;
  /** The body whose registry holds the record (the custodian, or the last one once it left custody). */
  readonly registryOf: string | null;
};

export type Visibility = {
  /** May the person learn that the carrier exists and read its record? */
  readonly record: boolean;
  /** The access decision on the content (A4.2). */
  readonly content: AccessDecision;
  /** The articles the record decision applied. */
  readonly articles: readonly ArticleId[];
};

const RECORD_ARTICLES: readonly ArticleId[] = ["A4.2", "A1.11", "A6.2"];

/** Carrier statuses in which a carrier has left its body's custody (its record remains). */
const LEFT_CUSTODY = new Set(["dispatched", "transferred", "destroyed", "returned", "released"]);

function covers(clearance: Clearance | null, level: number, at: string): boolean {
  return (
    clearance !== null && clearance.level >= level && isWithin(at, clearance.validFrom, clearance.validUntil)
  );
}

/** Decides what `request.person` may learn of `request.carrier` at `request.at`. Pure. */
export function decideVisibility(request: VisibilityRequest): Visibility {
  const content = decideAccess(request);
  if (content.allowed) return { record: true, content, articles: content.articles };
  const { person, body, carrier, viewer, at } = request;
  const facility = body.id === person.bodyId ? body.facilityClearance : null;
  const cleared = covers(person.clearance, carrier.level, at) && covers(facility, carrier.level, at);
  const ownRegistry = request.registryOf !== null && request.registryOf === person.bodyId;
  const hadNeedToKnow =
    request.contractParticipants.includes(person.id) || carrier.grantedPersons.includes(person.id);
  // A9.1, A9.3: a visitor learns of the carriers linked to their visit's topics, and so is told what
  // still stands between them and the content (the acquaintance, the visit's dates).
  const linkedToVisit = request.visit?.topicCarriers.includes(carrier.id) === true;
  const record =
    person.obligationsAcknowledged &&
    cleared &&
    (viewer.overseesRegistry ||
      linkedToVisit ||
      (viewer.keepsRegistry && ownRegistry) ||
      (hadNeedToKnow && ownRegistry && LEFT_CUSTODY.has(carrier.status)));
  return { record, content, articles: record ? RECORD_ARTICLES : content.articles };
}
