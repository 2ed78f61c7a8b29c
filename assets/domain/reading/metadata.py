"""Document metadata read from the text itself: title, issuer, date of issue, doc number (文号), where it was issued."""

import datetime as dt
import re
from dataclasses import dataclass, replace

from assets.domain.reading.labels import match_label
from assets.domain.reading.numerals import chinese_to_int
from assets.domain.reading.regions import Placement, place_document, placement_named

PLAN_WORDS = r"方案|计划|措施|意见|办法|细则|要点|规划|清单|条例|规定|决定|规则|纲要|举措|(?:\d{1,3}|[一二三四五六七八九十百]{1,4})条"
# Status marks a title may carry: `（试行）`, `（征求意见稿）`, `（修订草案修改稿）`.
TITLE_STATUS = r"(?:（(?:试行|暂行|[^（）]{0,6}草案[^（）]{0,6}|征求意见稿|送审稿|修订稿|修订|[^（）]{0,8}版)）)*"
NOTICE_TITLE = re.compile(r"^(?P<issuer>.*?)关于(?:印发|转发|公布|发布)[《〈]?(?P<title>.+?)[》〉]?的(?:通知|决定|公告)$")
PLAN_TITLE = re.compile(rf"^(?!《)[^，。；：:！？>|]{{6,80}}(?:{PLAN_WORDS}){TITLE_STATUS}$")
# A document's own number: a name, the year in any bracket pair (〔〕 [] ［］ ﹝﹞ （） 【】) and the number.
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔［\[（【﹝(]\s*\d{4}\s*[〕］\]）】﹞)]\s*第?\s*\d{1,4}\s*号")
# A line that is the document's number, alone or glued to the addressees that follow it (`…26号各县（区）人民政府，…：`).
OWN_DOC_NUMBER = re.compile(rf"{DOC_NUMBER.pattern}(?=$|各|[\u4e00-\u9fff]{{2,30}}[：:]$)")
TRAILING_DOC_NUMBER = re.compile(rf"[（(](?P<number>{DOC_NUMBER.pattern})[）)]$")
_NAME = rf"[《〈](?P<title>[^《》〈〉]{{4,80}}?(?:{PLAN_WORDS}){TITLE_STATUS})[》〉]"
# How a notice hands over the document it publishes (`现将《X》印发给你们`, `《X》已经市政府同意`) …
PUBLISHED = (re.compile(rf"现将{_NAME}"), re.compile(rf"^{_NAME}(?:已经|已于|经)"))
# … and how a preamble names the document it introduces (`特制定《X》`); other 《》 in a preamble cite other documents.
NAMED = re.compile(rf"(?:特制定|制定了?|出台){_NAME}")
FIELD_NAMES = (
    r"文号|发文字号|发文号|签发单位|发文机关|发布机构|发文单位|签发时间|签发日期|成文日期|发文日期|印发日期|发布日期|发布时间"
    r"|成文时间|名称|标题|索引号|分类|主题词|主题分类|来源|时间|浏览次数|浏览量|有效性|生效日期|失效日期"
)
LABELED = re.compile(rf"(?P<field>{FIELD_NAMES})\s*[：:]\s*")
# Dates of signing or issue; 发布日期/发布时间 on a web page are when it was posted, not when the document was issued.
DATE_FIELDS = ("成文日期", "成文时间", "发文日期", "印发日期", "签发时间", "签发日期")
ISSUER_FIELDS = ("发文机关", "签发单位", "发文单位", "发布机构")
NUMBER_FIELDS = ("文号", "发文字号", "发文号")
TITLE_FIELDS = ("标题", "名称")
# A regulation's line of adoption: `2020年3月27日北京市第十五届人民代表大会常务委员会第二十次会议通过`.
ADOPTED = re.compile(
    r"^[（(]?(?P<date>(?:\d{4}|[〇○零一二三四五六七八九]{4})年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日)"
    r".{2,80}?(?:会议|常务会议|常委会)(?:审议)?(?:通过|批准)"
)
CN_DATE = re.compile(
    r"^[（(]?(?P<y>\d{4}|[〇○零一二三四五六七八九]{4})年(?P<m>[\d一二三四五六七八九十]{1,3})月(?P<d>[\d一二三四五六七八九十]{1,3})日[）)]?$"
)
ISO_DATE = re.compile(r"^(?P<y>\d{4})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
ORGAN = re.compile(r"(?:人民政府|办公室|办公厅|委员会|领导小组|管委会|局|委|厅|部|院|中心)$")
ADMIN = re.compile(r"[\u4e00-\u9fff]{1,10}?(?:自治区|自治州|自治县|地区|省|市|盟|州|县|旗|区)")


@dataclass(frozen=True)
class Metadata:
    title: str | None = None
    issuer: str | None = None
    issue_date: dt.date | None = None
    doc_number: str | None = None
    place: Placement = Placement()  # the administrative division that issued it (regions.py)
    inferred: tuple[str, ...] = ()  # the fields above that were read from the text (not given by the manifest)

    @property
    def region(self) -> str | None:
        return self.place.region

    def overridden_by(self, manifest: dict[str, object]) -> "Metadata":
        """This metadata with every non-empty manifest value taking precedence (a manifest region or region_code
        replaces the whole placement)."""
        fields = {
            k: v for k, v in manifest.items() if k in self.__dataclass_fields__ and k not in ("inferred", "place") and v not in (None, "")
        }
        placed = bool(manifest.get("region") or manifest.get("region_code"))
        given = set(fields) | ({"region"} if placed else set())
        merged = replace(self, **fields, inferred=tuple(f for f in self.inferred if f not in given))
        if placed:
            merged = replace(
                merged, place=placement_named(str(manifest.get("region") or ""), str(manifest.get("region_code") or "") or None)
            )
        return merged


def infer_metadata(text: str, file_name: str | None = None) -> Metadata:
    """Metadata from the lines before the first numbered provision and after the last one."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if match_label(line)), len(lines))
    head, tail = lines[:first], lines[-6:] if first < len(lines) else []
    labeled = labeled_fields(head)
    title = _title(head, labeled, file_name)
    issuer = next((labeled[f] for f in ISSUER_FIELDS if f in labeled), None) or _signature_issuer(head + tail) or title.issuer
    issue_date = next((d for d in (parse_date(labeled[f]) for f in DATE_FIELDS if f in labeled) if d), None)
    issue_date = (
        issue_date
        or _signature_date(head + tail)
        or _adoption_date(head)
        or next((d for d in map(parse_date, head + tail) if d and _is_cn_date(d, head + tail)), None)
    )
    doc_number = next((_doc_number(labeled[f]) for f in NUMBER_FIELDS if f in labeled and _doc_number(labeled[f])), None)
    doc_number = doc_number or next((m.group(0) for m in map(OWN_DOC_NUMBER.match, head[:12]) if m), None) or title.doc_number
    title_in_text = _title(head, labeled, None).title  # never placed by the file name
    place = place_document(title_in_text, issuer, doc_number, "\n".join(head + tail), "\n".join(lines[first:]))
    found = Metadata(title.title, issuer, issue_date, doc_number, place)
    return replace(found, inferred=tuple(f for f in INFERRED_FIELDS if getattr(found, f) is not None))


INFERRED_FIELDS = ("title", "issuer", "issue_date", "doc_number", "region")


def labeled_fields(head: list[str]) -> dict[str, str]:
    """`field：value` pairs of a page's information block, several to a line (`发布机构：X成文日期：2022-05-19`)."""
    found: dict[str, str] = {}
    for i, line in enumerate(head):
        matches = list(LABELED.finditer(line))
        if not matches or matches[0].start() > 0:
            continue
        for m, nxt in zip(matches, matches[1:] + [None]):
            value = line[m.end() : nxt.start() if nxt else len(line)].strip(" ，,；;")
            if not value and nxt is None and i + 1 < len(head) and not LABELED.match(head[i + 1]):
                value = head[i + 1]  # a table cell split from its label (`成文时间： | 2024-06-25`)
            if value:
                found.setdefault(m.group("field"), value)
    return found


@dataclass(frozen=True)
class _Title:
    title: str | None = None
    issuer: str | None = None  # the issuer a notice names before 关于印发
    doc_number: str | None = None  # a number in brackets after the title line


def _title(head: list[str], labeled: dict[str, str], file_name: str | None) -> _Title:
    """The title, in order of trust: a labeled 标题/名称; the name a notice publishes in 《》 (`…关于印发《X》的通知`,
    `现将《X》印发给你们`, `《X》已经…同意`); the plan's own title line (joined when it wraps); a notice's title without
    brackets; a title the preamble names (`特制定《X》`); the file name."""
    candidates = [_split_number(line) for line in _joined_lines(head)]
    for field in TITLE_FIELDS:
        if field in labeled and PLAN_TITLE.match(_split_number(labeled[field])[0]):
            return _Title(_split_number(labeled[field])[0])
    notice = next((m for m in (NOTICE_TITLE.match(line) for line, _ in candidates) if m), None)
    issuer = notice.group("issuer").strip() or None if notice else None
    issuer = issuer if issuer and ORGAN.search(issuer) else None
    if notice and notice.group(0).find("《") >= 0:
        return _Title(notice.group("title"), issuer, None)
    published = next((m.group("title") for line in head for m in (p.search(line) for p in PUBLISHED) if m), None)
    if published:
        return _Title(published, issuer, None)
    own = next(
        ((line, number) for line, number in candidates if PLAN_TITLE.match(line) and not NOTICE_TITLE.match(line) and "印发" not in line),
        None,
    )
    if own:
        return _Title(own[0], issuer, own[1])
    if notice:
        return _Title(notice.group("title"), issuer, None)
    named = next((m.group("title") for m in map(NAMED.search, head) if m), None)
    if named:
        return _Title(named)
    if file_name:
        stem = re.sub(r"\.[A-Za-z]{2,4}$", "", file_name)
        if re.search(rf"(?:{PLAN_WORDS}){TITLE_STATUS}$", stem):
            return _Title(stem)
    return _Title()


TITLE_PIECE = re.compile(r"^(?![（(])(?=(?:[^\u4e00-\u9fff]*[\u4e00-\u9fff]){4})(?!.*\.[A-Za-z]{2,4}$)[^，。；：:！？>|]{4,40}$")


def _joined_lines(head: list[str]) -> list[str]:
    """The head's lines, and where a title wraps over two or three lines, the lines joined (only short lines
    without punctuation, the last of which ends like a title; a wrapped notice line ends `的通知`)."""
    out = []
    for i, line in enumerate(head):
        for k in (3, 2):
            pieces = head[i : i + k]
            if len(pieces) < k or not all(TITLE_PIECE.match(p) and not ORGAN_LINE.match(p) for p in pieces[1:]):
                continue
            if not TITLE_PIECE.match(pieces[0]) and not re.search("关于", pieces[0]):
                continue
            joined = "".join(pieces)
            complete = NOTICE_TITLE.match(joined) or (PLAN_TITLE.match(joined) and not any(PLAN_TITLE.match(p) for p in pieces[:-1]))
            if complete and not parse_date(pieces[0]) and not ORGAN_LINE.match(pieces[0]):
                out.append(joined)
        out.append(line)
    return out


ORGAN_LINE = re.compile(r"^(?:中共)?[\u4e00-\u9fff]{2,30}(?:人民政府|办公室|办公厅|委员会|领导小组|管委会|管理委员会|常务委员会)$")


def _split_number(line: str) -> tuple[str, str | None]:
    """A title line that ends with its 文号 in brackets (`…实施意见（池政〔2017〕101号）`): (title, number)."""
    m = TRAILING_DOC_NUMBER.search(line)
    if m and m.start() > 0:
        return line[: m.start()], re.sub(r"\s+", "", m.group("number"))
    return line, None


def _signature_issuer(lines: list[str]) -> str | None:
    """Issuer lines standing right above a date line (a signature block), joined with `、`."""
    for i, line in enumerate(lines):
        if parse_date(line) and i > 0:
            names = []
            j = i - 1
            while j >= 0 and len(lines[j]) <= 40 and ORGAN.search(lines[j]) and not re.search(r"[，。：；]", lines[j]):
                names.insert(0, lines[j])
                j -= 1
            if names:
                return "、".join(names)
    return None


def _signature_date(lines: list[str]) -> dt.date | None:
    """The date under a signature (issuer lines right above it)."""
    for i, line in enumerate(lines):
        date = parse_date(line)
        if date and i > 0 and len(lines[i - 1]) <= 40 and ORGAN.search(lines[i - 1]) and not re.search(r"[，。：；]", lines[i - 1]):
            return date
    return None


def _adoption_date(head: list[str]) -> dt.date | None:
    m = next((m for m in map(ADOPTED.match, head) if m), None)
    return parse_date(m.group("date")) if m else None


def _is_cn_date(date: dt.date, lines: list[str]) -> bool:
    """An unlabeled date counts when written in Chinese (`2022年2月17日`): an ISO date alone is page chrome."""
    return any(CN_DATE.match(line.strip()) and parse_date(line) == date for line in lines)


def _doc_number(value: str) -> str | None:
    m = DOC_NUMBER.search(value)
    return re.sub(r"\s+", "", m.group(0)) if m else None


def parse_date(text: str) -> dt.date | None:
    """A date written alone (`2022年2月17日`, `二〇二二年二月十七日`, `2022-05-18 12:15`), else None."""
    text = text.strip()
    m = CN_DATE.match(text) or ISO_DATE.match(text)
    if not m:
        return None
    parts = [int(v) if v.isdigit() else chinese_to_int(v) for v in (m.group("y"), m.group("m"), m.group("d"))]
    try:
        return dt.date(*parts) if None not in parts else None
    except ValueError:
        return None
