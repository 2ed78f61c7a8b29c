"""Where a document was issued: the administrative division its issuer, title, head lines, 文号 or body names.

A pure function of the text (never the file name). Cues are read in order of trust: the issuer, the title, lines of the
head that start with a place (来源:, the signature), the 文号's place abbreviation (湘阴发, 厦府办, 鄂府办发), what the
body says of its own place (结合X实际), the one division of the level the body speaks at (全市, 本县, 市X局), and for a
province-level text the province of the places it names (人民银行X分行). A name several divisions share is settled by
the place written before it, then by the other places the text names, then by that level; when nothing settles it, or
the text names no place, the region stays empty and `warning` says why (a lower-level text whose named places all lie
in one province keeps that province)."""

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

from assets.catalog.gazetteer import LEVELS, MUNICIPALITY, Division, Gazetteer, gazetteer, stem_of

HAN = re.compile(r"[\u4e00-\u9fff]")
# Characters that turn a division's name into another word: 市场, 区域, 县域, 省份.
NOT_AFTER = {"市": "场民值", "区": "域间别块位划", "县": "域", "省": "份", "州": ""}
# Kinds of division a text speaks of when it says 全市, 本县, 市X局 ...
LEVEL_KINDS = {
    "省": {"省"},
    "市": {"地级市", "县级市", MUNICIPALITY},
    "县": {"县", "自治县"},
    "区": {"市辖区", "自治区", "地区", "林区", "特区"},
    "州": {"自治州"},
    "旗": {"旗", "自治旗"},
    "盟": {"盟"},
}
LEVEL_CHARS = "".join(LEVEL_KINDS)
# A responsible body named with its level's prefix: （牵头单位：省市场监管局）, 、市财政局.
UNIT_PREFIX = re.compile(
    rf"(?:^|(?<=[^\u4e00-\u9fff]))([{LEVEL_CHARS}])(?=[\u4e00-\u9fff]{{1,10}}?(?:局|厅|委|办|院|中心|部|所|队|会)(?:[^\u4e00-\u9fff]|$))",
    re.M,
)
ORGAN_AFTER = re.compile(
    r"(?:中共)?(?:人民政府|政府|党委|委员会|[省市县区州旗盟]?委|人大|政协|办公|管委会|管理委员会|行政公署|行署|关于|印发)"
)
ORGAN_NAME = re.compile(r"\s*[\u4e00-\u9fff]{0,14}?(?:局|委员会|办公室|办公厅|管委会|管理委员会|政府|常委会|领导小组)")
LINE_LABEL = re.compile(r"^(?:来源|信息来源|发布机构|发文机关|发文单位|签发单位|发布单位|名称|标题)\s*[:：]\s*")
LEADING_NOISE = re.compile(r"^(?:中共|中国共产党|\d{4}(?:[-—–]\d{4})?年度?)")
ZONE_SUFFIX = re.compile(
    r"(?:国家级)?(?:高新技术产业开发区|经济技术开发区|经济开发区|高新区|经开区|开发区|新区|工业园区|"
    r"综合保税区|保税区|自由贸易试验区|自贸区)"
)
MIN_LEVEL_CUES = 2  # a level read from one 全省 alone is too weak to place a document by
QUOTED = re.compile(r"《[^《》]*》")


@dataclass(frozen=True)
class Placement:
    region: str | None = None  # official name of the most specific division
    region_code: str | None = None  # its GB/T 2260 code
    level: str | None = None  # province, prefecture or county
    province: str | None = None
    prefecture: str | None = None  # for a district of a municipality (上海市徐汇区): the municipality
    county: str | None = None
    zone: str | None = None  # the functional zone named with it (广州开发区)
    evidence: str | None = None  # where it was read: "title: 湘阴县", "文号 厦府办 → 厦门市"
    warning: str | None = None  # why it is empty or partial


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    codes: frozenset[str]
    zone: str | None = None  # set when the mention is a functional zone


# ---------------------------------------------------------------------------------------------- finding names


def mentions(text: str, gaz: Gazetteer | None = None) -> list[Mention]:
    """Division names (official, former, derived, aliases) and zones written in full in `text`, leftmost-longest.
    Only the characters a name can end with are looked at (省, 市, 区, 县, 州, ...): a few in a hundred."""
    gaz = gaz or gazetteer()
    longest: dict[int, Mention] = {}  # start → the longest name starting there
    for end in (m.end() for m in gaz.name_ends.finditer(text)):
        for length in range(min(gaz.max_name, end), 1, -1):
            start = end - length
            surface = text[start:end]
            codes = gaz.names.get(surface)
            if codes and not (end < len(text) and text[end] in NOT_AFTER.get(surface[-1], "")):
                if start not in longest or longest[start].end < end:
                    zone = gaz.zones.get(surface)
                    longest[start] = Mention(start, end, surface, codes, zone.name if zone else None)
                break
    found: list[Mention] = []
    for start in sorted(longest):
        if not found or start >= found[-1].end:
            found.append(longest[start])
    return _with_zones(text, _keep_chained_short_names(text, found, gaz), gaz)


def _name_at(text: str, start: int, gaz: Gazetteer) -> Mention | None:
    for length in range(min(gaz.max_name, len(text) - start), 1, -1):
        surface = text[start : start + length]
        codes = gaz.names.get(surface)
        if codes and not (start + length < len(text) and text[start + length] in NOT_AFTER.get(surface[-1], "")):
            zone = gaz.zones.get(surface)
            return Mention(start, start + length, surface, codes, zone.name if zone else None)
    return None


def _keep_chained_short_names(text: str, found: list[Mention], gaz: Gazetteer) -> list[Mention]:
    """Two-character names (南县, 巴州) count only where no Chinese character stands before them or a place does; names
    that are also common words (老城区, 郊区) only where a place does."""
    kept = []
    for m in found:
        chained = bool(kept) and kept[-1].end == m.start
        if m.text in gaz.generic:
            if chained:
                kept.append(m)
        elif len(m.text) > 2 or m.start == 0 or not HAN.match(text[m.start - 1]) or chained:
            kept.append(m)
    return kept


def _with_zones(text: str, found: list[Mention], gaz: Gazetteer) -> list[Mention]:
    """A place followed by a zone word (西安高新区, 成都经济技术开发区) is that zone, lying in that place."""
    out = []
    for m in found:
        z = ZONE_SUFFIX.match(text, m.end)
        if z and not m.zone:
            out.append(Mention(m.start, z.end(), text[m.start : z.end()], m.codes, text[m.start : z.end()]))
        else:
            out.append(m)
    return out


def leading_place(text: str, gaz: Gazetteer | None = None) -> list[Mention]:
    """The chain of places a heading, an issuer or a line starts with (`湘阴县委`, `泰州关于…`, `广州市黄埔区 广州开发区…`):
    full names, or a bare name (泰州, 广西) when an organ word or another place follows it."""
    return _leading(text, gaz or gazetteer())[0]


def organ_line_place(line: str, gaz: Gazetteer) -> list[Mention]:
    """The places a head line starts with when a body of government follows them (`来源:湘阴县人民政府`, `中共湘阴县委`,
    `厦门市人民政府办公厅关于…`): not an address (`X省Y市人民大街1号`) or a sentence."""
    chain, text = _leading(line, gaz)
    if chain and (ORGAN_AFTER.match(text, chain[-1].end) or ORGAN_NAME.match(text, chain[-1].end)):
        return chain
    return []


def _leading(text: str, gaz: Gazetteer) -> tuple[list[Mention], str]:
    text = LINE_LABEL.sub("", text.strip())
    text = LEADING_NOISE.sub("", text)
    chain: list[Mention] = []
    pos = 0
    while pos < len(text):
        while pos < len(text) and text[pos].isspace():
            pos += 1
        m = _name_at(text, pos, gaz) or _bare_at(text, pos, gaz, first=not chain)
        if not m:
            break
        z = ZONE_SUFFIX.match(text, m.end) if not m.zone else None
        if z:
            m = Mention(m.start, z.end(), text[m.start : z.end()], m.codes, text[m.start : z.end()])
        chain.append(m)
        pos = m.end
    return chain, text


def _bare_at(text: str, pos: int, gaz: Gazetteer, first: bool) -> Mention | None:
    for length in range(min(6, len(text) - pos), 1, -1):
        surface = text[pos : pos + length]
        codes = gaz.stems.get(surface)
        if not codes:
            continue
        rest = text[pos + length :]
        followed = ORGAN_AFTER.match(rest) or ZONE_SUFFIX.match(rest) or _name_at(text, pos + length, gaz)
        if followed or (
            first
            and any(gaz.divisions[c].level != "county" for c in codes)
            and rest[:1]
            and HAN.match(rest[:1])
            and not _name_at(text, pos + length - 1, gaz)
        ):
            top = min(LEVELS.index(gaz.divisions[c].level) for c in codes)  # a bare 西安 is 西安市, not a 西安区
            return Mention(pos, pos + length, surface, frozenset(c for c in codes if LEVELS.index(gaz.divisions[c].level) == top))
    return None


# ---------------------------------------------------------------------------------------------- settling names


def settle_chain(chain: list[Mention], gaz: Gazetteer) -> list[Mention]:
    """Each mention's codes narrowed to those lying in the place written before it (广州市 黄埔区 → 440112);
    a mention that fits none breaks the chain."""
    settled: list[Mention] = []
    for m in chain:
        if settled:
            parents = settled[-1].codes
            fits = frozenset(c for c in m.codes if any(gaz.within(c, p) or gaz.within(p, c) for p in parents))
            if not fits:
                break
            narrowed_parents = frozenset(p for p in parents if any(gaz.within(c, p) or gaz.within(p, c) for c in fits))
            settled[-1] = Mention(settled[-1].start, settled[-1].end, settled[-1].text, narrowed_parents, settled[-1].zone)
            m = Mention(m.start, m.end, m.text, fits, m.zone)
        settled.append(m)
    return settled


def deepest(chain: list[Mention], gaz: Gazetteer) -> tuple[frozenset[str], str | None, bool]:
    """The codes of the most specific place of a settled chain, the zone it names, and whether that place is only where
    a zone lies: a zone one administration with a division stands for it (广州开发区 for 黄埔区); another zone lies in
    the place of zones.csv or the place written before it (苏州工业园区, 西安高新区 in 西安市) and is no division itself."""
    codes: frozenset[str] = frozenset()
    zone, in_zone = None, False
    for m in chain:
        zone = m.zone or zone
        narrowed = frozenset(c for c in m.codes if not codes or any(gaz.within(c, p) for p in codes))
        if narrowed:
            known = gaz.zones.get(m.text)
            in_zone = bool(m.zone) and not (known and known.co_located) and (not codes or narrowed != codes or in_zone)
            codes = narrowed
    return codes, zone, in_zone


def disambiguate(codes: frozenset[str], context: set[str], kinds: set[str] | None, gaz: Gazetteer) -> frozenset[str]:
    """Of several divisions sharing a name: those the text names elsewhere or that lie in (or contain) another place it
    names (`context` holds only names that are one division), then those of the level the text speaks at, then those
    still in existence."""
    if len(codes) <= 1:
        return codes
    near = frozenset(c for c in codes if any(gaz.within(c, x) or gaz.within(x, c) for x in context))
    if near:
        codes = near
    if len(codes) > 1 and kinds:
        codes = frozenset(c for c in codes if gaz.divisions[c].kind in kinds) or codes
    if len(codes) > 1:
        codes = frozenset(c for c in codes if not gaz.divisions[c].listed_until) or codes
    return codes


# ---------------------------------------------------------------------------------------------- cues


def spoken_level(text: str, gaz: Gazetteer) -> tuple[str | None, int]:
    """The level a text speaks at (省, 市, 县, ...): from 全市/我县/本区 and from its bodies' level prefixes (市财政局)."""
    counts: Counter = Counter()
    for template, meaning in gaz.cues:
        if meaning == "level":
            pattern = re.escape(template).replace(re.escape("{level}"), f"([{LEVEL_CHARS}])")
            for m in re.finditer(pattern, text):
                if len(set(m.groups())) == 1:
                    counts[m.group(1)] += 1
    counts.update(m.group(1) for m in UNIT_PREFIX.finditer(text))
    if not counts:
        return None, 0
    (top, n), *rest = counts.most_common(2) + [(None, 0)]
    return (top, n) if n > rest[0][1] else (None, 0)


def doc_number_codes(doc_number: str | None, gaz: Gazetteer) -> tuple[str | None, frozenset[str], set[str]]:
    """The place abbreviation of a 文号's organ code and the divisions it can stand for (湘阴发 → 湘阴县; 晋发 → 山西省,
    晋城市, 晋中市), with the kinds of division its organ implies (署: 地区 or 盟)."""
    if not doc_number:
        return None, frozenset(), set()
    m = re.match(r"^([\u4e00-\u9fff]+)\s*[〔［\[（(【]", doc_number)
    if not m:
        return None, frozenset(), set()
    prefix, kinds = m.group(1), set()
    while prefix and prefix[-1] in gaz.organ_tokens:
        kinds |= gaz.organ_tokens[prefix[-1]]
        prefix = prefix[:-1]
    if not prefix or prefix in LEVEL_KINDS:
        return None, frozenset(), kinds
    codes = set(gaz.abbreviations.get(prefix, ())) | set(gaz.names.get(prefix, ())) | set(gaz.stems.get(prefix, ()))
    if len(prefix) == 1:
        codes |= {d.code for d in gaz.divisions.values() if d.level == "prefecture" and d.name.startswith(prefix) and not d.listed_until}
    elif not codes:
        codes = {d.code for d in gaz.divisions.values() if d.name.startswith(prefix) and d.level != "province" and not d.listed_until}
    if kinds:
        codes = {c for c in codes if gaz.divisions[c].kind in kinds}
    return prefix, frozenset(codes), kinds


def self_cues(body: str, found: list[Mention], gaz: Gazetteer) -> list[Mention]:
    """Places the body names as its own: 结合X实际."""
    own = []
    for template, meaning in gaz.cues:
        if meaning != "self":
            continue
        before, _, after = template.partition("{place}")
        own += [m for m in found if body.startswith(after, m.end) and body[: m.start].endswith(before)]
    return sorted(own, key=lambda m: m.start)


def branch_places(text: str, gaz: Gazetteer) -> set[str]:
    """Places in the names of central bodies' local branches (人民银行X分行, X海关), bare names included."""
    codes: set[str] = set()
    for template, meaning in gaz.cues:
        if meaning != "branch":
            continue
        before, _, after = template.partition("{place}")
        if before:
            for m in _branch_pattern(before, after).finditer(text):
                codes |= gaz.names.get(m.group(1), set()) or gaz.stems.get(m.group(1), set())
            continue
        at = text.find(after)
        while at >= 0:
            for length in range(min(8, at), 1, -1):
                name = text[at - length : at]
                found = gaz.names.get(name) or gaz.stems.get(name)
                if found:
                    codes |= found
                    break
            at = text.find(after, at + 1)
    return {c for c in codes if gaz.divisions[c].level != "county"}


@lru_cache(maxsize=None)
def _branch_pattern(before: str, after: str) -> re.Pattern:
    return re.compile(re.escape(before) + r"([\u4e00-\u9fff]{2,8}?)" + re.escape(after))


def bare_provinces(text: str, gaz: Gazetteer) -> set[str]:
    """Provinces the text names by their bare name (江苏, 广西): context for settling other names."""
    return {code for stem, code in gaz.province_stems.items() if stem in text}


# ---------------------------------------------------------------------------------------------- placing


def place_document(title: str | None, issuer: str | None, doc_number: str | None, head: str, body: str) -> Placement:
    """Where the document was issued, from what its text says (see the module's docstring for the order of cues)."""
    gaz = gazetteer()
    whole = "\n".join(filter(None, (title, issuer, head, body)))
    level_char, level_count = spoken_level(whole, gaz)
    kinds = LEVEL_KINDS.get(level_char) if level_char else None
    own_text = f"{head}\n{body}"
    body_found = mentions(own_text, gaz)
    named = body_found + mentions(f"{title or ''}\n{issuer or ''}", gaz)
    context = {c for m in named for c in m.codes if len(m.codes) == 1}
    context |= branch_places(whole, gaz) | bare_provinces(whole, gaz)

    header: list[tuple[str, list[Mention]]] = []
    for source, text in (("issuer", issuer), ("title", title)):
        for part in _parts(text):
            header.append((source, settle_chain(leading_place(part, gaz), gaz)))
        if text and source == "title":
            inner = [settle_chain(leading_place(q.strip("《》"), gaz), gaz) for q in QUOTED.findall(text)]
            header += [("title", chain) for chain in inner]
    header += [("head", settle_chain(organ_line_place(line, gaz), gaz)) for line in head.split("\n") if line.strip()]
    header = [(source, chain) for source, chain in header if chain]

    chosen: tuple[str, str, str | None, bool] | None = None  # (code, evidence, zone, whether only a zone lying there)
    zone = None
    for source, chain in header:
        codes, chain_zone, in_zone = deepest(chain, gaz)
        codes = disambiguate(codes, context, kinds, gaz)
        zone = zone or chain_zone
        if len(codes) != 1:
            continue
        code = next(iter(codes))
        if chosen is None:
            chosen = (code, f"{source}: {''.join(m.text for m in chain)}", chain_zone, in_zone)
        elif code != chosen[0] and gaz.within(code, chosen[0]):
            chosen = (code, f"{source}: {''.join(m.text for m in chain)}", chain_zone or chosen[2], in_zone)
    if chosen is None:
        prefix, codes, organ_kinds = doc_number_codes(doc_number, gaz)
        codes = disambiguate(codes, context, kinds, gaz)
        if prefix and len(codes) == 1:
            chosen = (next(iter(codes)), f"文号 {doc_number}: {prefix}", None, False)
    if chosen is None:
        for m in self_cues(own_text, body_found, gaz):
            codes = disambiguate(m.codes, context, kinds, gaz)
            if len(codes) == 1:
                chosen = (next(iter(codes)), f"body: {m.text} (its own place)", m.zone, False)
                break
    if chosen is None and kinds and level_count >= MIN_LEVEL_CUES:
        spoken = {c for m in body_found if len(m.codes) == 1 for c in m.codes if gaz.divisions[c].kind in kinds}
        if len(spoken) == 1:
            code = next(iter(spoken))
            chosen = (
                code,
                f"body: {gaz.divisions[code].name}, the only {level_char}-level place named where the text speaks as a {level_char}",
                None,
                False,
            )
        elif level_char == "省" and not spoken:
            provinces = {gaz.province_of(c) for c in context}
            if len(provinces) == 1:
                code = next(iter(provinces))
                chosen = (
                    code,
                    f"body: speaks as a province (省X局, 全省) and names places only in {gaz.divisions[code].name}",
                    None,
                    False,
                )
    if chosen is None:
        warning = _why_not(header, doc_number, level_char)
        provinces = {gaz.province_of(c) for c in context}
        if len(provinces) == 1 and level_char != "省":
            province = gaz.divisions[provinces.pop()].name
            return Placement(
                province=province,
                zone=zone,
                evidence=f"body: names places only in {province} (province only)",
                warning=warning.replace("; left empty", f"; only its province, {province}, is known (every place it names lies there)"),
            )
        return Placement(zone=zone, warning=warning)
    code, evidence, chosen_zone, in_zone = chosen
    if in_zone:
        return _lying_in(code, chosen_zone, evidence, gaz)
    return placement_of(code, gaz, zone=chosen_zone or _zone_for(zone, code, gaz), evidence=evidence)


def _lying_in(code: str, zone: str | None, evidence: str, gaz: Gazetteer) -> Placement:
    """A document issued by a zone that is no division (南昌经开区, 苏州工业园区): no region, the province and prefecture it
    lies in, and a warning."""
    where = placement_of(code, gaz)
    return Placement(
        province=where.province,
        prefecture=where.prefecture,
        zone=zone,
        evidence=evidence,
        warning=f"region: issued by {zone}, a zone lying in {where.region}, not an administrative division; region left empty",
    )


def _parts(text: str | None) -> list[str]:
    """An issuer's co-issuers (joined with 、 or spaces) or a title, as separate strings."""
    if not text:
        return []
    return [p for p in re.split(r"[、，,]\s*|\s{2,}", text) if p.strip()]


def _zone_for(zone: str | None, code: str, gaz: Gazetteer) -> str | None:
    known = gaz.zones.get(zone) if zone else None
    return zone if zone and (not known or gaz.within(known.code, code) or gaz.within(code, known.code)) else None


def _why_not(header: list[tuple[str, list[Mention]]], doc_number: str | None, level_char: str | None) -> str:
    named = [m.text for _, chain in header for m in chain]
    if named:
        return (
            f"region: {'、'.join(dict.fromkeys(named))} could be more than one division and nothing else in the text says which; left empty"
        )
    said = f" (it speaks as a {level_char}-level body)" if level_char else ""
    number = f"; its 文号 {doc_number} names no known place" if doc_number else ""
    return f"region: the text names no administrative division in its title, issuer, head or body{said}{number}; left empty"


def placement_of(code: str, gaz: Gazetteer | None = None, zone: str | None = None, evidence: str | None = None) -> Placement:
    """The placement of a division by its code: its name, level and the names of its province, prefecture and county."""
    gaz = gaz or gazetteer()
    lineage = gaz.lineage(code)
    division = lineage[-1]
    by_level: dict[str, Division] = {d.level: d for d in lineage}
    prefecture = by_level.get("prefecture")
    if prefecture is None and division.level == "county" and lineage[0].kind == MUNICIPALITY:
        prefecture = lineage[0]
    return Placement(
        division.name,
        division.code,
        division.level,
        lineage[0].name,
        prefecture.name if prefecture and division.level != "province" else None,
        by_level["county"].name if "county" in by_level else None,
        zone,
        evidence,
    )


def placement_named(name: str, code: str | None = None) -> Placement:
    """The placement a sources manifest gives: a code, or a name (乌鲁木齐市天山区, 巴州) that settles to one division."""
    gaz = gazetteer()
    codes, zone = frozenset(), None
    if name:
        chain = settle_chain(leading_place(name, gaz), gaz)
        if "".join(m.text for m in chain).replace(" ", "") == name.replace(" ", ""):
            codes, zone, _ = deepest(chain, gaz)
    if code:
        if code not in gaz.divisions:
            return Placement(
                region=name or None,
                warning=f"sources.csv: region_code {code} is not a GB/T 2260 code of divisions.csv; region kept as written, without a code",
            )
        placement = placement_of(code, gaz, zone=zone, evidence="sources.csv")
        if name and code not in codes:
            return replace(
                placement,
                warning=f"sources.csv: region {name!r} is not the division of region_code {code} ({placement.region}); the code is used",
            )
        return placement
    if len(codes) == 1:
        return placement_of(next(iter(codes)), gaz, zone=zone, evidence="sources.csv")
    return Placement(
        region=name,
        level=level_of_name(name),
        warning=f"sources.csv: region {name!r} is not one division of divisions.csv; kept as written, without a code",
    )


def level_of_name(name: str) -> str | None:
    """The level a division's name implies by its suffix, for names not in the list."""
    stem = stem_of(name)
    if stem is None:
        return None
    suffix = name[len(stem) :]
    if suffix in ("省", "自治区", "特别行政区"):
        return "province"
    if suffix in ("自治州", "地区", "盟", "州"):
        return "prefecture"
    return "county" if suffix in ("县", "自治县", "旗", "自治旗", "区", "林区", "特区") else None
