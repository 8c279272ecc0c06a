"""Text clean-up and the accent-folded, token view of a message that every rule works on.

The folded text has exactly one character per character of the clean text, so a span found in the
folded text (where rules are simple: lower case, no diacritics) cuts the same words out of the text
the user typed.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad\ufe00-\ufe0f]")
# Emoji and pictographs decorate chat messages ("📌 Giao …  ✅"); to the rules they are spaces.
_SYMBOL_CATEGORIES = frozenset({"So", "Sk", "Cs", "Co", "Cn"})
_SPACES = re.compile(r"[^\S\n]+")
_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "−": "-", "\r": "\n"})
# Hyphens only join words ("Lao động - Thương binh", "P-THUANHOA"): not a token of their own.
_TOKEN = re.compile(r"[a-z0-9]+|[^\sa-z0-9\-]")
# Spelled-out forms people use for the same body; folded to the abbreviation the unit list uses.
_SYNONYMS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("uy", "ban", "nhan", "dan"), "ubnd"),
    (("hoi", "dong", "nhan", "dan"), "hdnd"),
    (("uy", "ban", "nd"), "ubnd"),
    (("uy", "ban", "nhan"), "ubnd"),  # "chủ tịch ủy ban nhân các huyện": "dân" lost in the copy
    # Abbreviations with a dot ("UBND TP. Đà Nẵng", "H.Bắc Bình", "Q. Hải Châu"): the dot is no full stop.
    (("tp", "."), "thanh pho"),
    (("tx", "."), "thi xa"),
    (("h", "."), "huyen"),
    (("q", "."), "quan"),
    (("p", "."), "phuong"),  # "UBND P.Cao Lãnh"
    (("tp",), "thanh pho"),
    (("tx",), "thi xa"),
    # "Sở NN và PTNT", "Sở Nông nghiệp-PTNT": the words the abbreviation stands for
    (("nn", "va", "phat", "trien", "nong", "thon"), "nong nghiep va phat trien nong thon"),
    (("nong", "nghiep", "phat", "trien", "nong", "thon"), "nong nghiep va phat trien nong thon"),
    (("tn", "va", "mt"), "tai nguyen va moi truong"),
)
# A press agency's tag before an article's first words: "(GLO)- Ngày 4-7, …", "(PLVN) - Thực hiện …",
# "(TN&MT) – Chủ tịch …", "TPO - Từ …", "KTNT UBND tỉnh …" (not the office's "VP UBND tỉnh", a leader's "CT UBND tỉnh"; not a directive's code "CD-2026-0012 …"); a photo's credit "(Ảnh minh họa: …)". Not a list marker ("(a)", "(1)").
_PRESS_TAG = re.compile(r"^(?:\((?![IVX]+\))[A-ZĐ][A-Za-zĐđ0-9&.]{1,15}\)\s*-?|[A-ZĐ]{2,8}\s*-(?!\s*\d{4}[\s_-]+\d)"
                        r"|(?!(?:UBND|VP|CT|PCT|TT|TM|TL|KT|BCĐ|BCH|HĐND|TTr|LĐ)\b)[A-ZĐ]{2,8}[ \t]+"
                        r"(?=UBND\b|Chủ tịch\b|Ủy ban\b|Thủ tướng\b))\s*"
                        r"|\(\s*Ảnh(?: minh họa| minh hoạ)?\s*:[^()\n]{0,80}\)", re.MULTILINE)
# A line that a photo's credit ends is the photo's caption, dropped whole: "Cán bộ thú y phun khử khuẩn … (Ảnh: Lê Nam).",
# "Tàu thuyền neo đậu tại … tỉnh Ninh Bình. Ảnh tư liệu: TTXVN".
_CAPTION_LINE = re.compile(r"^[^\n]*(?:\(\s*Ảnh(?: minh họa| minh hoạ| tư liệu)?\s*:[^()\n]{0,80}\)\.?"
                           r"|[.!?][ \t]+Ảnh(?: minh họa| minh hoạ| tư liệu)?[ \t]*:[ \t]*[^.;:\n]{1,40})[ \t]*$", re.MULTILINE)
# Abbreviations of department names as documents write them, with or without "&", "-" or ",":
# each is read as the words it stands for, so "Sở NN&PTNT" and "Sở Nông nghiệp & PTNT" both name
# "Sở Nông nghiệp và Phát triển nông thôn".
_ABBREVIATIONS: dict[str, str] = {
    "nnptnt": "nong nghiep va phat trien nong thon", "ptnt": "phat trien nong thon",
    "tnmt": "tai nguyen va moi truong", "khdt": "ke hoach va dau tu", "gtvt": "giao thong van tai",
    "tttt": "thong tin va truyen thong", "ldtbxh": "lao dong thuong binh va xa hoi",
    "vhttdl": "van hoa the thao va du lich", "gddt": "giao duc va dao tao", "khcn": "khoa hoc va cong nghe",
    "nnmt": "nong nghiep va moi truong", "dttg": "dan toc va ton giao", "tphcm": "thanh pho ho chi minh",
    "qlda": "quan ly du an", "bql": "ban quan ly", "qltt": "quan ly thi truong", "atgt": "an toan giao thong",
    "kcn": "khu cong nghiep", "kkt": "khu kinh te",
}
_ABBREVIATION_RUN = re.compile(r"[a-z0-9]+(?:\s*&\s*[a-z0-9]+|[,-][a-z0-9]+)*")
# Syllables that copied text often runs together ("Giaocho", "cáchuyện", "Ủyban"): a word that is none
# of them but splits into two of them is read as those two.
_SYLLABLES = frozenset("""
giao cho cac huyen uy ban nhan dan so xa phuong thanh pho tinh thi truoc ngay han chu tri phoi hop voi
va kiem tra bao cao truong moi tai chinh xay dung y te cong an thuong nong nghiep nguyen lao dong binh
hoi van hoa the thao du lich giao duc dao tao khoa hoc nghe ke hoach dau tu noi vu tu phap quan ly
thong tin truyen ngoai de nghi yeu cau khan trien khai thuc hien hoan theo doi tong hop nam tuan
quy ngay lam viec cua trong ve den het thang nay sau toi toan trach nhiem co duoc mot hai ba bon
""".split())


def clean_text(text: str) -> str:
    """NFC, no invisible characters, one kind of dash, single spaces, no blank lines."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text)).translate(_DASHES)
    text = "".join(" " if unicodedata.category(ch) in _SYMBOL_CATEGORIES else ch for ch in text)
    text = _GLUED.sub(" ", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# A copy fault that glues a deadline's first word to the word before ("… về Sở Tài nguyên và Môi trườngtrước ngày
# 10/12/2022"): a syllable never runs on into "trước ngày" or "chậm nhất", so a letter right before them is a lost space.
_GLUED = re.compile(r"(?<=[^\W\d_])(?=(?:trước|chậm nhất)\s+(?:ngày\s+)?\d)")

# A function word typed twice by a copy fault ("yêu cầu các các huyện …"): its second token is dropped. Words
# Vietnamese doubles on purpose ("dần dần", "từ từ", "nhà nhà") are no function words.
_REPEATED = frozenset({"cac", "nhung", "va", "cua", "cho", "voi", "duoc", "tai", "trong"})


# A line break inside a sentence, as text copied from a PDF or a narrow column carries it ("… Chủ\ntịch UBND
# tỉnh yêu cầu …", "… đơn vị cấp tỉnh,\nChủ tịch UBND các huyện …"): the line before ends with no stop and
# the next goes on in lower case or with a number that is no list marker, or the line before ends with a comma or a dash;
# after a semicolon, only a line in lower case goes on.
_BREAK = re.compile(r"(?<=[^.:!?\n])\n(?=\S)")
_MARKER = re.compile(r"\(?(?:\d{1,2}(?:\.\d{1,2})*|[a-zđ]|[ivx]{1,4})[.)]\s")
# A list entry's opening on folded text: "2. ", "b) ", "(iii) ", "- ", "+ ", "• ", or "2.Sở" glued to its first word.
# "Thứ nhất, …", "Thứ hai, …", "Một là, …": points counted in words (not "Thứ Hai, ngày 15/12", a weekday)
LIST_MARKER = re.compile(r"(?:\(?(?:\d{1,2}(?:\.\d{1,2})*|[a-z]|[ivx]{1,4})[.)]|[-+•*])\s+|\d{1,2}\.(?=[^\W\d_])"
                         r"|thu\s+(?:nhat|hai|ba|tu|nam|sau|bay|tam|chin|muoi)\s*,\s+(?!ngay\b|\d|chu\s+nhat\b)"
                         r"|(?:muoi\s+)?(?:mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi)\s+la\s*,\s+")  # "Một là, …", "Hai là, …"
# "… 5 nhóm giải pháp. Thứ nhất, … . Thứ hai, …": points counted in words inside a paragraph, each put on its own line
# (only after a "Thứ nhất": "Thứ bảy, chủ nhật, các trường …" tells the days)
_ORDINAL_RUN = re.compile(r"(?<=[.;:])[ \t]+(?=Thứ (?:nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười),\s(?!ngày\b|\d|chủ nhật\b))")
_FIRST_POINT = re.compile(r"(?:^|[.;:\n])[ \t]*Thứ nhất,\s")


def _points_on_lines(text: str) -> str:
    """Each paragraph that counts its points from «Thứ nhất,» has every «Thứ hai, …» after it on a line of its own."""
    out = []
    for paragraph in text.split("\n"):
        first = _FIRST_POINT.search(paragraph)
        if first is not None:  # (the match begins on the stop before «Thứ nhất», which the pattern looks behind for)
            paragraph = paragraph[:first.start()] + _ORDINAL_RUN.sub("\n", paragraph[first.start():])
        out.append(paragraph)
    return "\n".join(out)


def unwrap(text: str) -> str:
    """`text` with the line breaks inside its sentences made spaces (same length)."""
    def join(m: re.Match[str]) -> str:
        after = m.end()
        nxt = text[after]
        line = text[text.rfind("\n", 0, m.start()) + 1 : m.start()]
        if sum(ch.isalpha() for ch in line) > 3 and line.upper() == line:
            return "\n"  # "THÔNG TIN Ý KIẾN" is a heading, not the start of a sentence
        before = text[m.start() - 1]
        if before == ";":  # "… Tìm kiếm cứu nạn tỉnh;\nchủ tịch UBND các huyện …": a list run on in lower case, not a new entry
            return " " if nxt.islower() and not _MARKER.match(text, after) else "\n"
        if before in ",-" or ((nxt.islower() or nxt.isdigit()) and not _MARKER.match(text, after)):
            return " "  # ("… thiên tai -\nTìm kiếm cứu nạn": a name cut at its dash)
        return "\n"
    return _BREAK.sub(join, text)


def is_blank(text: str) -> bool:
    return not _INVISIBLE.sub("", text).strip()


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0]
    lower = base.lower()
    return lower if len(lower) == 1 else base


def fold_same_length(text: str) -> str:
    """Lower case without diacritics, one output character per input character."""
    return "".join(_fold_char(ch) for ch in text)


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()


def _split_glued(tok: Token) -> list[Token]:
    word = tok.text
    if len(word) < 5 or word in _SYLLABLES or not word.isalpha():
        return [tok]
    for cut in range(2, len(word) - 1):
        if word[:cut] in _SYLLABLES and word[cut:] in _SYLLABLES:
            return [Token(word[:cut], tok.start, tok.start + cut), Token(word[cut:], tok.start + cut, tok.end)]
    return [tok]


def _raw_tokens(folded: str) -> list[Token]:
    out: list[Token] = []
    pos = 0
    for m in _ABBREVIATION_RUN.finditer(folded):
        out.extend(Token(t.group(), t.start(), t.end()) for t in _TOKEN.finditer(folded, pos, m.start()))
        pos = m.end()
        expanded = _ABBREVIATIONS.get(re.sub(r"[\s&,-]", "", m.group()))
        if expanded:
            out.extend(Token(w, m.start(), m.end()) for w in expanded.split())
            continue
        for t in _TOKEN.finditer(folded, m.start(), m.end()):
            part = _ABBREVIATIONS.get(t.group())
            if part:
                out.extend(Token(w, t.start(), t.end()) for w in part.split())
            else:
                out.extend(_split_glued(Token(t.group(), t.start(), t.end())))
    out.extend(Token(t.group(), t.start(), t.end()) for t in _TOKEN.finditer(folded, pos))
    return out


_SYNONYMS_BY_FIRST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _words, _short in _SYNONYMS:
    _SYNONYMS_BY_FIRST.setdefault(_words[0], []).append((_words, _short))


def tokenize(folded: str) -> list[Token]:
    raw = _raw_tokens(folded)
    out: list[Token] = []
    i = 0
    while i < len(raw):
        for words, short in _SYNONYMS_BY_FIRST.get(raw[i].text, ()):
            if tuple(t.text for t in raw[i : i + len(words)]) == words:
                out.extend(Token(w, raw[i].start, raw[i + len(words) - 1].end) for w in short.split())
                i += len(words)
                break
        else:
            if not (out and raw[i].text in _REPEATED and raw[i].text == out[-1].text
                    and folded[out[-1].end:raw[i].start] == " "):
                out.append(raw[i])
            i += 1
        # "Ủy ban nhân dân (UBND) tỉnh": the abbreviation in brackets repeats the words before it.
        if (i + 2 < len(raw) and raw[i].text == "(" and raw[i + 2].text == ")" and out
                and raw[i + 1].text == out[-1].text):
            i += 3
    return out


def name_tokens(name: str) -> tuple[str, ...]:
    """The token sequence a unit name or phrase is matched by."""
    return tuple(t.text for t in tokenize(fold_same_length(clean_text(name))))


@dataclass(frozen=True)
class Analysed:
    """A cleaned message with its folded twin and tokens."""

    text: str
    folded: str
    tokens: tuple[Token, ...]
    has_capitals: bool
    starts: tuple[int, ...]
    texts: tuple[str, ...] = ()  # each token's folded text

    @classmethod
    def of(cls, text: str) -> Analysed:
        text = _points_on_lines(_PRESS_TAG.sub("", _CAPTION_LINE.sub("", unwrap(clean_text(text)))))
        if sum(ch.isalpha() for ch in text) > 40 and not any(ch.islower() for ch in text):
            text = text.lower()  # a message typed all in capitals is read as one typed without them
        folded = fold_same_length(text)
        tokens = tuple(tokenize(folded))
        has_capitals = any(ch.isupper() for ch in text[1:])
        return cls(text, folded, tokens, has_capitals, tuple(t.start for t in tokens), tuple(t.text for t in tokens))

    def token_at_or_after(self, char: int) -> int:
        return bisect_left(self.starts, char)

    def words(self, first: int, last: int) -> tuple[str, ...]:
        return self.texts[first:last]

    def original(self, first: int, last: int) -> str:
        """The typed text of tokens[first:last]."""
        if first >= last:
            return ""
        return self.text[self.tokens[first].start : self.tokens[last - 1].end]

    def listed(self, at: int) -> bool:
        """The line holding `at` opens a numbered or bulleted entry (spaces before its marker allowed): the document
        itself lists what is there as one item."""
        line = self.text.rfind("\n", 0, at) + 1
        while line < len(self.folded) and self.folded[line] in " \t":
            line += 1
        return LIST_MARKER.match(self.folded, line) is not None

    def original_token(self, i: int) -> str:
        tok = self.tokens[i]
        return self.text[tok.start : tok.end]
