// An organisation's name as a table cell shows it: the state's name and the legal form by the
// abbreviations officers write (ҚР, РК, ՀՀ, АҚ, ՓԲԸ…), at most two lines, the full name on hover
// (an <abbr> with its title). Lists and tables keep each row short; pages of one object show it whole.

/** Official long forms and the abbreviations written for them, longest first within a language. */
const ABBREVIATIONS: readonly (readonly [RegExp, string])[] = [
  [/Қазақстан Республикасының/g, "ҚР"],
  [/Қазақстан Республикасы/g, "ҚР"],
  [/Республики Казахстан/g, "РК"],
  [/Республика Казахстан/g, "РК"],
  [/Республики Армения/g, "РА"],
  [/Республика Армения/g, "РА"],
  [/Հայաստանի Հանրապետության/g, "ՀՀ"],
  [/Հայաստանի Հանրապետություն/g, "ՀՀ"],
  [/Ղազախստանի Հանրապետության/g, "ՂՀ"],
  [/the Republic of Kazakhstan/g, "the RK"],
  [/the Republic of Armenia/g, "the RA"],
  [/акционерлік қоғамы/g, "АҚ"],
  [/акционерное общество/gi, "АО"],
  [/փակ բաժնետիրական ընկերություն/g, "ՓԲԸ"],
  [/բաժնետիրական ընկերություն/g, "ԲԸ"],
];

export function abbreviateOrganisation(name: string): string {
  return ABBREVIATIONS.reduce((text, [long, short]) => text.replace(long, short), name);
}

export function OrgName({ name }: { name: string }) {
  const short = abbreviateOrganisation(name);
  if (short === name)
    return (
      <span className="clamp-2" title={name}>
        {name}
      </span>
    );
  return (
    <abbr className="clamp-2 org-name" title={name}>
      {short}
    </abbr>
  );
}
