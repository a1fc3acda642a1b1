// Tests for person-name folding, parsing and nickname variants.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { foldName, givenNameVariants, isKnownGivenName, parsePersonName } from "./names.ts";

test("foldName strips accents, case and punctuation", () => {
  assert.equal(foldName("  LÓPEZ-García,  María  "), "lopez garcia maria");
  assert.equal(foldName("Peña Muñoz"), "pena munoz");
  assert.equal(foldName("François"), "francois");
  assert.equal(foldName("Straße"), "strasse");
  assert.equal(foldName("Œuvre Æsir"), "oeuvre aesir");
  assert.equal(foldName("O'Brien"), "o brien");
  assert.equal(foldName("J.-F."), "j f");
  assert.equal(foldName("Mª"), "ma");
  assert.equal(foldName("N\u0303u\u0301n\u0303ez"), "nunez");
  assert.equal(foldName("ＧＡＲＣＩＡ"), "garcia");
  assert.equal(foldName("İstanbul"), "istanbul");
  assert.equal(foldName(""), "");
  assert.equal(foldName(" .-' "), "");
});

test("foldName is idempotent and total on arbitrary Unicode", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), (text) => {
      const once = foldName(text);
      assert.equal(foldName(once), once);
      assert.ok(!once.startsWith(" ") && !once.endsWith(" ") && !once.includes("  "));
      assert.equal(once, once.toLowerCase());
    }),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(fc.string({ unit: "grapheme" }), (text) => {
      const once = foldName(text);
      assert.equal(foldName(once), once);
    }),
  );
});

test("comma form: LAST, First with particles in the given names", () => {
  const parsed = parsePersonName("LÓPEZ GARCÍA, María del Carmen");
  assert.deepEqual(parsed, {
    given: ["maria", "carmen"],
    family: ["lopez", "garcia"],
    particles: ["del"],
    initials: [],
    surnameFirst: true,
  });
  assert.deepEqual(parsePersonName("Smith Jr., John").family, ["smith"]);
  assert.deepEqual(parsePersonName("Le, Thi").family, ["le"]);
  assert.deepEqual(parsePersonName("O'Brien, Patrick").family, ["obrien"]);
});

test("clerk abbreviations are expanded, initials are kept apart", () => {
  const gpe = parsePersonName("Ma. Gpe. Hernández");
  assert.deepEqual(gpe.given, ["maria", "guadalupe"]);
  assert.deepEqual(gpe.family, ["hernandez"]);
  assert.deepEqual(gpe.initials, []);
  assert.deepEqual(parsePersonName("Ma.Gpe. Ruiz Hdez.").family, ["ruiz", "hernandez"]);
  assert.deepEqual(parsePersonName("Mª José Ruiz").given, ["maria", "jose"]);
  assert.deepEqual(parsePersonName("Fco. Javier Soto").given, ["francisco", "javier"]);
  assert.deepEqual(parsePersonName("Jma. Ruiz").given, ["jose", "maria"]);
  assert.deepEqual(parsePersonName("Jse. Ruiz").given, ["jose"]);
  assert.deepEqual(parsePersonName("Ant. Ruiz").given, ["antonio"]);
  assert.deepEqual(parsePersonName("Guad. Ruiz").given, ["guadalupe"]);
  assert.deepEqual(parsePersonName("Wm. Smith").given, ["william"]);
  const smith = parsePersonName("J. Smith");
  assert.deepEqual(smith, { given: [], family: ["smith"], particles: [], initials: ["j"], surnameFirst: false });
  const kennedy = parsePersonName("John F. Kennedy");
  assert.deepEqual([kennedy.given, kennedy.initials, kennedy.family], [["john"], ["f"], ["kennedy"]]);
});

test("French initialisms of compound names", () => {
  const jf = parsePersonName("J.-F. Tremblay");
  assert.deepEqual([jf.given, jf.family], [["jean", "francois"], ["tremblay"]]);
  assert.deepEqual(parsePersonName("JF Tremblay").given, ["jean", "francois"]);
  // Ambiguous (Jean-Pierre, Jean-Philippe, Jean-Paul): kept as initials.
  const jp = parsePersonName("J.-P. Gagnon");
  assert.deepEqual([jp.given, jp.initials], [[], ["j", "p"]]);
  const stPierre = parsePersonName("Jean-François St-Pierre");
  assert.deepEqual([stPierre.given, stPierre.family, stPierre.particles], [["jean", "francois"], ["pierre"], ["st"]]);
});

test("given names end where the lexicon says", () => {
  const jl = parsePersonName("José Luis Pérez García");
  assert.deepEqual([jl.given, jl.family, jl.surnameFirst], [["jose", "luis"], ["perez", "garcia"], false]);
  const jc = parsePersonName("Juan Carlos Martinez");
  assert.deepEqual([jc.given, jc.family], [["juan", "carlos"], ["martinez"]]);
  const santos = parsePersonName("Juan Carlos Santos Martinez");
  assert.deepEqual(
    [santos.given, santos.family],
    [
      ["juan", "carlos"],
      ["santos", "martinez"],
    ],
  );
  const luz = parsePersonName("María de la Luz Hernández");
  assert.deepEqual([luz.given, luz.family, luz.particles], [["maria", "luz"], ["hernandez"], ["de la"]]);
  const cruz = parsePersonName("Juan de la Cruz");
  assert.deepEqual([cruz.given, cruz.family], [["juan"], ["cruz"]]);
  assert.deepEqual(parsePersonName("Madonna").family, ["madonna"]);
  assert.deepEqual(parsePersonName("Pepe Luis Hernández").given, ["pepe", "luis"]);
  assert.deepEqual(parsePersonName("Dr. John Smith Jr.").given, ["john"]);
  assert.deepEqual(parsePersonName("Ronald Mc Donald").family, ["mcdonald"]);
  const ortega = parsePersonName("José Ortega y Gasset");
  assert.deepEqual([ortega.family, ortega.particles], [["ortega", "gasset"], ["y"]]);
  assert.deepEqual(parsePersonName("Van Morrison").given, ["van"]);
  assert.deepEqual(parsePersonName("Juan Pérez G.").family, ["perez", "g"]);
});

test("separate name parts take precedence over the full name", () => {
  const parsed = parsePersonName("ignored entirely", {
    firstName: "María del Carmen",
    lastName: "Pérez de la Garza",
    secondLastName: "García-López",
  });
  assert.deepEqual(parsed, {
    given: ["maria", "carmen"],
    family: ["perez", "garza", "garcia", "lopez"],
    particles: ["del", "de la"],
    initials: [],
    surnameFirst: false,
  });
  assert.deepEqual(parsePersonName("", { lastName: "de la Cruz" }).family, ["cruz"]);
  assert.deepEqual(parsePersonName("José Pérez", { firstName: " ", lastName: "" }).given, ["jose"]);
});

test("parsePersonName never throws and yields folded tokens", () => {
  const isFoldedToken = (token: string) => token.length > 0 && token === foldName(token) && !token.includes(" ");
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), fc.boolean(), (text, withParts) => {
      const parsed = withParts
        ? parsePersonName("", { firstName: text, lastName: text.slice(1) })
        : parsePersonName(text);
      for (const token of [...parsed.given, ...parsed.family, ...parsed.initials]) assert.ok(isFoldedToken(token));
    }),
    { numRuns: 2000 },
  );
  const word = fc.constantFrom("José", "María", "de", "la", "Pérez", "García", "J.", "Ma.", "O'Neil", "y", "Jr.", "-");
  fc.assert(
    fc.property(fc.array(word, { maxLength: 8 }), fc.boolean(), (words, comma) => {
      const text = comma && words.length > 1 ? `${words[0]}, ${words.slice(1).join(" ")}` : words.join(" ");
      const parsed = parsePersonName(text);
      assert.deepEqual(parsePersonName(text), parsed);
      // Nothing but particles and dropped suffixes/titles goes missing.
      assert.ok(parsed.given.length + parsed.family.length + parsed.initials.length <= words.length * 2);
    }),
  );
});

test("givenNameVariants: Spanish hypocorisms and clerk abbreviations", () => {
  const has = (token: string, ...formal: string[]) => {
    const variants = givenNameVariants(token);
    assert.equal(variants[0], token);
    for (const name of formal) assert.ok(variants.includes(name), `${token} → ${name}: ${variants.join(",")}`);
  };
  assert.deepEqual(givenNameVariants("pepe"), ["pepe", "jose"]);
  assert.deepEqual(givenNameVariants("paco"), ["paco", "francisco"]);
  assert.deepEqual(givenNameVariants("chema"), ["chema", "jose", "maria"]);
  assert.deepEqual(givenNameVariants("ma"), ["ma", "maria"]);
  assert.deepEqual(givenNameVariants("fco"), ["fco", "francisco"]);
  assert.deepEqual(givenNameVariants("gpe"), ["gpe", "guadalupe"]);
  assert.deepEqual(givenNameVariants("jma"), ["jma", "jose", "maria"]);
  has("pepa", "josefa");
  has("pancho", "francisco");
  has("curro", "francisco");
  has("lupe", "guadalupe");
  has("lupita", "guadalupe");
  has("chuy", "jesus");
  has("chucho", "jesus");
  has("memo", "guillermo");
  has("lalo", "eduardo");
  has("beto", "alberto", "roberto", "humberto", "norberto");
  has("nacho", "ignacio");
  has("tono", "antonio");
  has("concha", "concepcion");
  has("conchita", "concepcion");
  has("lola", "dolores");
  has("loles", "dolores");
  has("charo", "rosario");
  has("pili", "pilar");
  has("maite", "maria", "teresa");
  has("quique", "enrique");
  has("kike", "enrique");
  has("rafa", "rafael");
  has("fito", "adolfo", "rodolfo");
  has("chente", "vicente");
  has("goyo", "gregorio");
  has("guicho", "luis");
  has("wicho", "luis");
  has("pancha", "francisca");
  has("tere", "teresa");
  has("meche", "mercedes");
  has("chela", "graciela");
  has("j", "jose", "juan", "jesus");
  has("jse", "jose");
  has("ant", "antonio");
  has("guad", "guadalupe");
  assert.deepEqual(givenNameVariants("nena"), ["nena"]);
});

test("givenNameVariants: French, Portuguese and English", () => {
  assert.deepEqual(givenNameVariants("jf"), ["jf", "jean", "francois"]);
  for (const [token, formal] of [
    ["jeff", "jean"],
    ["jeff", "francois"],
    ["jeff", "jeffrey"],
    ["jp", "pierre"],
    ["jp", "philippe"],
    ["manu", "emmanuel"],
    ["fanfan", "francois"],
    ["ze", "jose"],
    ["chico", "francisco"],
    ["tonho", "antonio"],
    ["nando", "fernando"],
    ["bill", "william"],
    ["bob", "robert"],
    ["peggy", "margaret"],
  ] as const)
    assert.ok(givenNameVariants(token).includes(formal), `${token} → ${formal}`);
  // Input is folded first; unknown tokens stand for themselves only.
  assert.deepEqual(givenNameVariants("Zé"), ["ze", "jose"]);
  assert.deepEqual(givenNameVariants("xyzzy"), ["xyzzy"]);
});

test("isKnownGivenName uses the formal-name lexicon", () => {
  for (const name of ["jose", "guadalupe", "Jesús", "francois", "william", "joao", "jose luis"])
    assert.ok(isKnownGivenName(name), name);
  for (const name of ["perez", "hernandez", "tremblay", "", "pepe"]) assert.ok(!isKnownGivenName(name), name);
});
