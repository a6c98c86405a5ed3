import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import {
  certificateLanguages,
  type DestructionFacts,
  destructionCertificateLines,
  renderDestructionCertificate,
} from "../../src/app/documents/destruction-certificate.ts";

const RECEIVED: DestructionFacts = {
  number: "AM-DC-AM-2026-000003-1",
  destroyedAt: "2026-12-06T10:15:00.000Z",
  holder: { party: "AM", body: "ՀՀ պաշտպանության նախարարության ռադիոէլեկտրոնային համակարգերի վարչություն" },
  registrationNumber: "AM-2026-000003",
  copyNumber: 1,
  originator: {
    party: "KZ",
    body: "Қазақстан Республикасы Қорғаныс министрлігінің Радиоэлектроника және байланыс департаменті",
    registrationNumber: "KZ-2026-000004",
    copyNumber: 2,
  },
  markings: [
    { party: "KZ", text: "Өте құпия" },
    { party: "AM", text: "Հույժ գաղտնի" },
  ],
  consent: "consent-1234",
  method: "key-erasure",
  officer: "Գևորգ Հակոբյան",
  notifiedAt: "2026-12-06T10:15:00.000Z",
};

const text = (facts: DestructionFacts, languages: Parameters<typeof destructionCertificateLines>[1]) =>
  destructionCertificateLines(facts, languages).map((l) => l.text);

describe("the destruction certificate (A6.6, A1.8)", () => {
  it("A6.6: going to Kazakhstan it is in Kazakh and Russian, each on its own page; to Armenia in Armenian and Russian", async () => {
    expect(certificateLanguages("KZ")).toEqual(["kk", "ru"]);
    expect(certificateLanguages("AM")).toEqual(["hy", "ru"]);
    expect(certificateLanguages("AM", true)).toEqual(["hy", "ru", "en"]);
    const pdf = await PDFDocument.load(await renderDestructionCertificate(RECEIVED, ["kk", "ru"]));
    expect(pdf.getPageCount()).toBe(2);
    expect(pdf.getTitle()).toBe("ЖЕТКІЗГІШТІ ЖОЮ АКТІСІ № AM-DC-AM-2026-000003-1");
  });

  it("A6.6, A1.8: it names the numbers, both Parties' markings, the originator, the permission, the method, the officer, a witness and the notification", () => {
    const ru = text(RECEIVED, ["ru"]);
    expect(ru[0]).toBe("АКТ ОБ УНИЧТОЖЕНИИ НОСИТЕЛЯ № AM-DC-AM-2026-000003-1");
    expect(ru).toContain("Дата: 06.12.2026 10:15 UTC");
    expect(ru).toContain("Регистрационный номер: AM-2026-000003, экз. 1");
    expect(ru).toContain("Регистрационный номер источника: KZ-2026-000004, экз. 2");
    expect(ru).toContain(
      "Грифы секретности: Өте құпия (Республика Казахстан); Հույժ գաղտնի (Республика Армения)",
    );
    expect(ru).toContain("Письменное разрешение источника: consent-1234");
    expect(ru).toContain("Способ уничтожения: уничтожение ключа содержимого и зашифрованного содержимого");
    expect(ru).toContain("Носитель уничтожен; его частичное или полное восстановление невозможно (ст. 1.8).");
    expect(ru.some((l) => l.startsWith("Уничтожил сотрудник регистратуры: Գևորգ Հակոբյան"))).toBe(true);
    expect(ru.some((l) => l.startsWith("Свидетель: "))).toBe(true);
    expect(ru).toContain("Источник уведомлён: 06.12.2026 10:15 UTC");
  });

  it("A1.8: an own carrier's certificate needs no permission and notifies nobody", () => {
    const own = { ...RECEIVED, originator: null, consent: null, notifiedAt: null };
    const kk = text(own, ["kk"]);
    expect(kk).toContain("Бастапқы тараптың жазбаша рұқсаты: талап етілмейді (өз ақпараты)");
    expect(kk).toContain("Бастапқы тарапқа хабарланды: — (өз жеткізгіші)");
    expect(kk.some((l) => l.startsWith("Бастапқы тарап:"))).toBe(false);
  });
});
