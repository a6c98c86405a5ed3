import type { AuthService } from "../auth/auth-service.ts";
import { registerCarrier } from "../carriers/register-carrier.ts";
import type { AppContext } from "../context.ts";
import { activateContract } from "../contracts/activate-contract.ts";
import { addContractParticipant } from "../contracts/add-contract-participant.ts";
import { amendContract } from "../contracts/amend-contract.ts";
import { createContract } from "../contracts/create-contract.ts";
import { grantFacilityClearance } from "../organisations/grant-facility-clearance.ts";
import { registerOrganisation } from "../organisations/register-organisation.ts";
import { acknowledgeObligations, showObligations } from "../people/acknowledge-obligations.ts";
import { grantPersonalClearance } from "../people/grant-personal-clearance.ts";
import { registerPerson } from "../people/register-person.ts";

/** The one password of every demo account (demo mode only; a production start refuses demo accounts). */
export const DEMO_PASSWORD = "kelisim-demo-2025";

export type DemoLogin = {
  username: string;
  name: string;
  role: string;
  organisation: string;
  level: string | null;
};

type BodySpec = { key: string; name: string };
type PersonSpec = {
  handle: string;
  name: string;
  org: "ca" | "body1" | "body2";
  roles: string[];
  level: string | null;
};

/** The demo world of each Party: two authorized bodies and people for every role. */
const WORLD: Record<string, { bodies: [BodySpec, BodySpec]; people: PersonSpec[] }> = {
  KZ: {
    bodies: [
      {
        key: "body1",
        name: "Қазақстан Республикасы Қорғаныс министрлігінің Радиоэлектроника және байланыс департаменті",
      },
      { key: "body2", name: "«Алатау Ғарыштық Зерттеулер Институты» акционерлік қоғамы" },
    ],
    people: [
      {
        handle: "kz-authority",
        name: "Айгүл Сәрсенбаева",
        org: "ca",
        roles: ["competent-authority-officer"],
        level: "special-importance",
      },
      { handle: "kz-auditor", name: "Ержан Тоқтаров", org: "ca", roles: ["auditor"], level: null },
      {
        handle: "kz-registry",
        name: "Дәурен Жұмабеков",
        org: "body1",
        roles: ["registry-officer"],
        level: "top-secret",
      },
      {
        handle: "kz-user",
        name: "Мәдина Омарова",
        org: "body1",
        roles: ["cleared-user"],
        level: "top-secret",
      },
      {
        handle: "kz-user-low",
        name: "Асхат Нұрланов",
        org: "body1",
        roles: ["cleared-user"],
        level: "secret",
      },
      {
        handle: "kz-registry-2",
        name: "Гүлнар Бекова",
        org: "body2",
        roles: ["registry-officer"],
        level: "top-secret",
      },
    ],
  },
  AM: {
    bodies: [
      { key: "body1", name: "ՀՀ պաշտպանության նախարարության ռադիոէլեկտրոնային համակարգերի վարչություն" },
      { key: "body2", name: "«Արագած գիտահետազոտական ինստիտուտ» փակ բաժնետիրական ընկերություն" },
    ],
    people: [
      {
        handle: "am-authority",
        name: "Անահիտ Սարգսյան",
        org: "ca",
        roles: ["competent-authority-officer"],
        level: "special-importance",
      },
      { handle: "am-auditor", name: "Արամ Մկրտչյան", org: "ca", roles: ["auditor"], level: null },
      {
        handle: "am-registry",
        name: "Գևորգ Հակոբյան",
        org: "body1",
        roles: ["registry-officer"],
        level: "top-secret",
      },
      {
        handle: "am-user",
        name: "Լիլիթ Պետրոսյան",
        org: "body1",
        roles: ["cleared-user"],
        level: "top-secret",
      },
      {
        handle: "am-user-low",
        name: "Տիգրան Ավետիսյան",
        org: "body1",
        roles: ["cleared-user"],
        level: "secret",
      },
      {
        handle: "am-registry-2",
        name: "Նարե Գրիգորյան",
        org: "body2",
        roles: ["registry-officer"],
        level: "top-secret",
      },
    ],
  },
};

export type DemoWorld = {
  logins: DemoLogin[];
  organisations: Record<"ca" | "body1" | "body2", { id: string; name: string }>;
  people: Record<string, string>;
  contractId: string;
  /** Registration number → carrier id, newest last. */
  carriers: { id: string; registrationNumber: string; level: string; title: string }[];
};

/**
 * Builds a Party's demo world through the node's own use cases (each audited), and gives every demo
 * person a demo login. `admin` is the administrator made by `node init`.
 */
export async function createDemoWorld(
  ctx: AppContext,
  auth: AuthService,
  admin: { id: string; handle: string },
  competentAuthority: { id: string; name: string },
): Promise<DemoWorld> {
  const party = ctx.config.party;
  const spec = WORLD[party];
  if (!spec) throw new Error(`no demo world for Party ${party}`);
  const organisations: DemoWorld["organisations"] = {
    ca: competentAuthority,
    body1: { id: "", name: spec.bodies[0].name },
    body2: { id: "", name: spec.bodies[1].name },
  };
  for (const body of spec.bodies) {
    const result = (await registerOrganisation(ctx, { actor: admin.handle, name: body.name })) as {
      id: string;
    };
    organisations[body.key as "body1" | "body2"] = { id: result.id, name: body.name };
  }
  const people: Record<string, string> = { [admin.handle]: admin.id };
  for (const person of spec.people) {
    const result = (await registerPerson(ctx, {
      actor: admin.handle,
      organisation: organisations[person.org].id,
      handle: person.handle,
      name: person.name,
      roles: person.roles,
    })) as { id: string };
    people[person.handle] = result.id;
  }
  // A4.4: every demo person (and the administrator) has acknowledged their obligations, each
  // through the same use case as a person at the obligations page, in the Party's language.
  for (const handle of Object.keys(people)) {
    const shown = await showObligations(ctx, { actor: handle });
    await acknowledgeObligations(ctx, { actor: handle, version: shown.version });
  }
  const authority = spec.people.find((p) => p.roles.includes("competent-authority-officer"));
  if (!authority) throw new Error("demo world without a competent-authority officer");
  const year = ctx.now().getUTCFullYear();
  const validity = { validFrom: `${year - 1}-01-01`, validTo: `${year + 4}-12-31` };
  for (const body of ["body1", "body2"] as const) {
    await grantFacilityClearance(ctx, {
      actor: authority.handle,
      organisation: organisations[body].id,
      level: "top-secret",
      ...validity,
    });
  }
  await grantFacilityClearance(ctx, {
    actor: authority.handle,
    organisation: organisations.ca.id,
    level: "special-importance",
    ...validity,
  });
  for (const person of spec.people) {
    if (!person.level) continue;
    await grantPersonalClearance(ctx, {
      actor: authority.handle,
      person: person.handle,
      level: person.level,
      ...validity,
    });
  }
  const contract = await createDemoContract(
    ctx,
    spec.people,
    WORLD[party === "KZ" ? "AM" : "KZ"]?.bodies[0].name ?? "",
  );
  const carriers = await registerDemoCarriers(ctx, spec.people);
  const logins: DemoLogin[] = [];
  const adminName = "Administrator";
  for (const person of [
    { handle: admin.handle, name: adminName, org: "ca" as const, roles: ["administrator"], level: null },
    ...spec.people,
  ]) {
    const id = people[person.handle];
    if (!id) continue;
    const username = person.handle === admin.handle ? `${party.toLowerCase()}-admin` : person.handle;
    await auth.createAccount({ personId: id, username, password: DEMO_PASSWORD, isDemo: true });
    logins.push({
      username,
      name: person.name,
      role: person.roles.join(", "),
      organisation: organisations[person.org].name,
      level: person.level,
    });
  }
  return { logins, organisations, people, contractId: contract.id, carriers };
}

/** The six clauses of A7.1 of the demo contract (Russian, the text that prevails between the Parties). */
const DEMO_CLAUSES = {
  "information-list":
    "Перечень секретных сведений приведён в приложении 1 со степенями секретности (ст. 7.1 (1)).",
  "protection-conditions":
    "Сведения хранятся в режимно-секретных подразделениях сторон, обрабатываются только на аттестованных средствах.",
  "transfer-procedure":
    "Передача через компетентные органы: фельдъегерской связью либо в электронном виде с согласованными криптографическими средствами (ст. 5.6, 5.7).",
  "third-party-ban":
    "Передача сведений третьей стороне без письменного согласия Стороны-источника запрещена (ст. 4.1.5).",
  "cleared-persons-only":
    "Доступ предоставляется только лицам с допуском соответствующей степени в целях настоящего контракта (ст. 4.2).",
  "disputes-and-damages":
    "Споры решаются путём переговоров; ущерб от разглашения возмещается по законодательству Сторон (ст. 11.2, 13).",
} as const;

async function createDemoContract(ctx: AppContext, people: readonly PersonSpec[], counterpartName: string) {
  const party = ctx.config.party;
  const registry = people.find((p) => p.org === "body1" && p.roles.includes("registry-officer"));
  if (!registry) throw new Error("demo world without a registry officer");
  const number = party === "KZ" ? "KZ-AM/2025-01" : "AM-KZ/2025-01";
  const contract = await createContract(ctx, {
    actor: registry.handle,
    number,
    title:
      party === "KZ"
        ? "Радиобайланыс жүйелерін бірлесіп әзірлеу / Совместная разработка систем радиосвязи"
        : "Ռադիոկապի համակարգերի համատեղ մշակում / Совместная разработка систем радиосвязи",
    counterpartName,
  });
  await amendContract(ctx, {
    actor: registry.handle,
    contract: number,
    clauses: DEMO_CLAUSES,
    information: [
      { description: "Тактико-технические характеристики станции Р-2025", level: "top-secret" },
      { description: "Схемы частотного планирования", level: "secret" },
    ],
  });
  for (const person of people.filter((p) => p.org === "body1")) {
    await addContractParticipant(ctx, { actor: registry.handle, contract: number, person: person.handle });
  }
  await activateContract(ctx, { actor: registry.handle, contract: number });
  return contract;
}

const DEMO_CARRIERS: Record<
  string,
  { title: string; level: string; kind: string; sheets?: number; sizeBytes?: number; content?: string }[]
> = {
  KZ: [
    {
      title: "Р-2025 радиостанциясының тактикалық-техникалық сипаттамалары",
      level: "top-secret",
      kind: "electronic-file",
      content:
        "Р-2025 станциясы: жұмыс жиіліктері, қуат, шифрлау режимдері.\n(Демонстрациялық мазмұн — нақты мәліметтер жоқ.)",
    },
    { title: "Жиілікті жоспарлау схемалары, 2025 жыл", level: "secret", kind: "paper-document", sheets: 12 },
    {
      title: "Антенна жүйесінің далалық сынақ хаттамасы",
      level: "secret",
      kind: "removable-media",
      sizeBytes: 734003200,
    },
    {
      title: "Шекаралық байланыс торабының орналасу схемасы",
      level: "top-secret",
      kind: "paper-document",
      sheets: 24,
    },
  ],
  AM: [
    {
      title: "Լեռնային ռելեային կապի գծի նախագծային փաստաթղթեր",
      level: "top-secret",
      kind: "electronic-file",
      content:
        "Ռելեային գծի նախագիծ՝ հաճախականություններ, կայաններ։\n(Ցուցադրական բովանդակություն՝ իրական տվյալներ չկան։)",
    },
    {
      title: "Հաճախականությունների պլանավորման սխեմաներ",
      level: "secret",
      kind: "paper-document",
      sheets: 8,
    },
  ],
};

async function registerDemoCarriers(ctx: AppContext, people: readonly PersonSpec[]) {
  const registry = people.find((p) => p.org === "body1" && p.roles.includes("registry-officer"));
  if (!registry) throw new Error("demo world without a registry officer");
  const number = ctx.config.party === "KZ" ? "KZ-AM/2025-01" : "AM-KZ/2025-01";
  const out: DemoWorld["carriers"] = [];
  for (const c of DEMO_CARRIERS[ctx.config.party] ?? []) {
    const row = await registerCarrier(ctx, {
      actor: registry.handle,
      kind: c.kind,
      title: c.title,
      level: c.level,
      contract: number,
      ...(c.sheets !== undefined ? { sheets: c.sheets } : {}),
      ...(c.sizeBytes !== undefined ? { sizeBytes: c.sizeBytes } : {}),
      ...(c.content !== undefined ? { content: new TextEncoder().encode(c.content) } : {}),
    });
    out.push({ id: row.id, registrationNumber: row.registration_number, level: row.level, title: row.title });
  }
  return out;
}
