"""Document metadata read from the text itself: title, issuer, date of issue, doc number (文号), where it was issued."""
import datetime as dt
import re
from dataclasses import dataclass, replace

from .labels import match_label
from .numerals import chinese_to_int
from .regions import Placement, place_document, placement_named

PLAN_WORDS = "方案|计划|措施|意见|办法|细则|要点|规划|清单|条例|规定|决定"
NOTICE_TITLE = re.compile(r"^(?P<issuer>.*?)关于印发[《〈](?P<title>.+?)[》〉]的通知$")
PLAN_TITLE = re.compile(rf"^(?!《)[^，。；：:！？]{{6,80}}(?:{PLAN_WORDS})$")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔［\[（【]\s*\d{4}\s*[〕］\]）】]\s*\d{1,4}\s*号")
LABELED = re.compile(r"^(?P<field>文号|发文字号|发文号|签发单位|发文机关|发布机构|发文单位|签发时间|发布日期|成文日期|发文日期|印发日期|发布时间)[：:]\s*(?P<value>.*)$")
DATE_FIELDS = {"签发时间", "发布日期", "成文日期", "发文日期", "印发日期", "发布时间"}
ISSUER_FIELDS = {"签发单位", "发文机关", "发布机构", "发文单位"}
NUMBER_FIELDS = {"文号", "发文字号", "发文号"}
CN_DATE = re.compile(r"^(?P<y>\d{4}|[〇○零一二三四五六七八九]{4})年(?P<m>[\d一二三四五六七八九十]{1,3})月(?P<d>[\d一二三四五六七八九十]{1,3})日$")
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

    def overridden_by(self, manifest: dict[str, object]) -> "Metadata":
        """This metadata with every non-empty manifest value taking precedence (a manifest region or region_code
        replaces the whole placement)."""
        fields = {k: v for k, v in manifest.items() if k in self.__dataclass_fields__ and v not in (None, "")}
        merged = replace(self, **fields)
        if manifest.get("region") or manifest.get("region_code"):
            merged = replace(merged, place=placement_named(str(manifest.get("region") or ""), str(manifest.get("region_code") or "") or None))
        return merged


def infer_metadata(text: str, file_name: str | None = None) -> Metadata:
    """Metadata from the lines before the first numbered provision and after the last one."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if match_label(line)), len(lines))
    head, tail = lines[:first], lines[-6:] if first < len(lines) else []
    labeled = {}
    for line in head:
        m = LABELED.match(line)
        if m and m.group("value").strip():
            labeled.setdefault(m.group("field"), m.group("value").strip())

    title, notice_issuer = _title(head, file_name)
    issuer = next((labeled[f] for f in ISSUER_FIELDS if f in labeled), None) or _signature_issuer(head + tail) or notice_issuer
    issue_date = next((parse_date(labeled[f]) for f in DATE_FIELDS if f in labeled and parse_date(labeled[f])), None)
    issue_date = issue_date or next((d for d in map(parse_date, head + tail) if d), None)
    doc_number = next((_doc_number(labeled[f]) for f in NUMBER_FIELDS if f in labeled), None)
    doc_number = doc_number or next((line for line in head[:8] if DOC_NUMBER.fullmatch(line)), None)
    title_in_text = _title(head, None)[0]  # never placed by the file name
    place = place_document(title_in_text, issuer, doc_number, "\n".join(head + tail), "\n".join(lines[first:]))
    return Metadata(title, issuer, issue_date, doc_number, place)


def _title(head: list[str], file_name: str | None) -> tuple[str | None, str | None]:
    for line in head:
        m = NOTICE_TITLE.match(line)
        if m:
            issuer = m.group("issuer").strip() or None
            return m.group("title"), issuer if issuer and ORGAN.search(issuer) else None
    for line in head:
        if PLAN_TITLE.match(line) and "印发" not in line:
            return line, None
    if file_name:
        stem = re.sub(r"\.[A-Za-z]{2,4}$", "", file_name)
        if re.search(rf"(?:{PLAN_WORDS})$", stem):
            return stem, None
    return None, None


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
