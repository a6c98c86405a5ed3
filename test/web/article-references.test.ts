import { describe, expect, it } from "vitest";
import { formatArticles } from "../../web/src/i18n.ts";

describe("article references in each language's own form, never the raw ID outside English", () => {
  it("one article: 6.5-бап, հոդ. 6.5, ст. 6.5, A6.5", () => {
    expect(formatArticles(["A6.5"], "kk")).toBe("6.5-бап");
    expect(formatArticles(["A6.5"], "hy")).toBe("հոդ. 6.5");
    expect(formatArticles(["A6.5"], "ru")).toBe("ст. 6.5");
    expect(formatArticles(["A6.5"], "en")).toBe("A6.5");
  });

  it("several articles as one list, with the plural where the language has one", () => {
    expect(formatArticles(["A6.5", "A6.1"], "kk")).toBe("6.5, 6.1-баптар");
    expect(formatArticles(["A4.1.1", "A6.2"], "hy")).toBe("հոդ. 4.1.1, 6.2");
    expect(formatArticles(["A4.1.1", "A6.2"], "ru")).toBe("ст. 4.1.1, 6.2");
    expect(formatArticles(["A4.1.1", "A6.2"], "en")).toBe("A4.1.1, A6.2");
  });

  it("the decree's points apart from the agreement's articles (D3, A15.3)", () => {
    expect(formatArticles(["D3", "A15.3"], "kk")).toBe("15.3-бап; қаулының 3-тармағы");
    expect(formatArticles(["D3", "A15.3"], "ru")).toBe("ст. 15.3; п. 3 постановления");
    expect(formatArticles(["D3"], "hy")).toBe("որոշման կետ 3");
    expect(formatArticles([], "kk")).toBe("");
  });
});
