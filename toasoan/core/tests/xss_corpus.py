"""Hostile text for test_xss: what a person might type into any field of the site
or the admin, or put in a file for an importer.

Every payload that could run says so: it calls ``__xss(<its number>)`` (the test
page defines that function and records the call), or opens a dialog whose text
holds "xss-<its number>". Each one carries the letters "xss" in some spelling,
so that a payload that lands in an attribute or a script element, without
running, is found by looking at the page. A few (template syntax, encodings) can
never run anywhere; they are there to be shown as the literal text typed.
"""

from __future__ import annotations

import base64
import urllib.parse
from dataclasses import dataclass

CALL = "CALL"  # replaced by the payload's own __xss(n) call


@dataclass(frozen=True)
class Payload:
    number: int
    kind: str
    text: str


def _entities(text: str) -> str:
    return "".join(f"&#{ord(c)};" for c in text)


def _data_html(number: int) -> str:
    page = f"<script>parent.__xss({number})</script>".encode()
    return "data:text/html;base64," + base64.b64encode(page).decode()


# (kind, template): CALL becomes __xss(n); {n} the payload's number.
_TEMPLATES: list[tuple[str, str]] = [
    # Script elements.
    ("script", "<script>CALL</script>"),
    ("script", "<ScRiPt>CALL</sCrIpT>"),
    ("script", "<scr<script>ipt>CALL</scr</script>ipt>"),
    ("script", "<<script>script>CALL<</script>/script>"),
    ("script", '<script src="data:text/javascript,CALL"></script>'),
    ("script", '<script type="text/javascript">CALL</script'),
    ("script", "<script>/*</script>*/CALL</script>"),
    ("script", "</title></textarea></style></noscript><script>CALL</script>"),
    # Event handlers.
    ("handler", "<img src=x onerror=CALL>"),
    ("handler", '<img src="x" oNeRrOr="CALL">'),
    ("handler", "<body onload=CALL>"),
    ("handler", '<div onmouseover="CALL">di chuột vào đây</div>'),
    ("handler", "<input onfocus=CALL autofocus>"),
    ("handler", "<select autofocus onfocus=CALL></select>"),
    ("handler", "<details open ontoggle=CALL>"),
    ("handler", "<video><source onerror=CALL></video>"),
    ("handler", "<audio src=x onerror=CALL>"),
    ("handler", '<a href="#" onclick="CALL">bấm vào</a>'),
    ("handler", '<img src=x onerror="&#x5f;&#x5f;xss({n})">'),
    ("handler", '<img src=x onerror="\\u005f\\u005fxss({n})">'),
    ("handler", "<img src=x onerror=alert('xss-{n}')>"),
    ("handler", "<marquee onstart=CALL>chữ chạy</marquee>"),
    ("handler", "<img/src=x/onerror=CALL>"),
    # javascript:, data: and vbscript: addresses.
    ("url", '<a href="javascript:CALL">xem</a>'),
    ("url", '<a href="JaVaScRiPt:CALL">xem</a>'),
    ("url", '<a href=" javascript:CALL">xem</a>'),
    ("url", '<a href="java\tscript:CALL">xem</a>'),
    ("url", '<a href="java\nscript:CALL">xem</a>'),
    ("url", '<a href="java&#x09;script:CALL">xem</a>'),
    ("url", '<a href="java&#10;script:CALL">xem</a>'),
    ("url", '<a href="&#x6A;avascript&colon;CALL">xem</a>'),
    ("url", '<a href="javascript&#58;CALL">xem</a>'),
    ("url", '<a href="ENTITIES">xem</a>'),
    ("url", '<a href="DATAHTML">xem</a>'),
    ("url", '<a href="vbscript:msgbox(&quot;xss-{n}&quot;)">xem</a>'),
    ("url", '<a href="VbScRiPt:msgbox(1)//xss-{n}">xem</a>'),
    ("url", '<iframe src="javascript:parent.CALL"></iframe>'),
    ("url", '<form action="javascript:CALL"><button>gửi</button></form>'),
    ("url", '<button formaction="javascript:CALL">gửi</button>'),
    ("url", '<object data="javascript:CALL"></object>'),
    ("url", '<embed src="javascript:CALL">'),
    ("url", '<embed embedtype="media" url="javascript:CALL"/>'),
    ("url", '<embed embedtype="image" id="1" format="left" alt="x&quot; onerror=&quot;CALL"/>'),
    ("url", '<a linktype="page" id="1 onmouseover=CALL">trang</a>'),
    ("url", '<base href="javascript:CALL//">'),
    ("url", '<meta http-equiv="refresh" content="0;url=javascript:CALL">'),
    ("url", "javascript:CALL"),
    # SVG.
    ("svg", "<svg onload=CALL>"),
    ("svg", "<svg/onload=CALL>"),
    ("svg", "<svg><script>CALL</script></svg>"),
    ("svg", "<svg><animate onbegin=CALL attributeName=x dur=1s>"),
    ("svg", '<svg><a xlink:href="javascript:CALL"><text x="9" y="9">bấm</text></a></svg>'),
    ("svg", "<svg><foreignObject><img src=x onerror=CALL></foreignObject></svg>"),
    # Frames.
    ("iframe", '<iframe srcdoc="<script>parent.CALL</script>"></iframe>'),
    ("iframe", '<iframe srcdoc="&lt;img src=x onerror=parent.CALL&gt;"></iframe>'),
    ("iframe", '<object data="DATAHTML"></object>'),
    # MathML and mutation XSS (what a sanitiser's parse and the browser's differ on).
    ("mxss", "<math><mtext><table><mglyph><style><img src=x onerror=CALL>"),
    ("mxss", '<noscript><p title="</noscript><img src=x onerror=CALL>">'),
    ("mxss", '<svg></p><style><a id="</style><img src=1 onerror=CALL>">'),
    ("mxss", '<form><math><mtext></form><form><mglyph><svg><mtext><style><path id="</style><img onerror=CALL src>">'),
    ("mxss", '<!--<img src="--><img src=x onerror=CALL//">'),
    ("mxss", '<xmp><p title="</xmp><img src=x onerror=CALL>">'),
    ("mxss", "<template><img src=x onerror=CALL></template>"),
    ("mxss", "<![CDATA[><img src=x onerror=CALL>]]>"),
    ("mxss", "<style></style><img src=x onerror=CALL>"),
    ("mxss", '<math><maction actiontype="statusline" xlink:href="javascript:CALL">x</maction></math>'),
    # Template syntax: shown as typed, never evaluated.
    ("template", "{{ 7*7 }} xss-{n}"),
    ("template", "{% load static %}{% debug %} xss-{n}"),
    ("template", "{{ settings.SECRET_KEY }} xss-{n}"),
    ("template", "${7*7} #{7*7} <%= 7*7 %> xss-{n}"),
    # Breaking out of the JSON-LD script element.
    ("json-ld", "</script><script>CALL</script>"),
    ("json-ld", '"}]</script><script>CALL</script>'),
    ("json-ld", "</SCRIPT ><script>CALL</script>"),
    ("json-ld", "<!--<script>CALL//"),
    ("json-ld", "\\u003c/script\\u003e<script>CALL</script>"),
    ("json-ld", "';CALL;//\";CALL;//"),
    # Breaking out of an attribute.
    ("attribute", '" autofocus onfocus="CALL" x="'),
    ("attribute", "' autofocus onfocus='CALL' x='"),
    ("attribute", '" onmouseover="CALL'),
    ("attribute", "'><img src=x onerror=CALL>"),
    ("attribute", '"><img src=x onerror=CALL>'),
    ("attribute", '"><svg/onload=CALL>'),
    ("attribute", "` onmouseover=CALL `"),
    ("attribute", "x onerror=CALL"),
    # Encoded: must come out as the characters typed, never decoded into markup.
    ("encoded", "&lt;script&gt;CALL&lt;/script&gt;"),
    ("encoded", "&#60;img src=x onerror=CALL&#62;"),
    ("encoded", "URLENCODED"),
    ("encoded", "%253Cscript%253ECALL%253C%252Fscript%253E"),
    ("encoded", "+ADw-script+AD4-CALL+ADw-/script+AD4-"),
    ("encoded", "\\x3cscript\\x3eCALL\\x3c/script\\x3e"),
    ("encoded", "＜script＞CALL＜/script＞"),
    ("encoded", "&amp;lt;script&amp;gt;CALL&amp;lt;/script&amp;gt;"),
    # Polyglots.
    ("polyglot", "javascript:/*--></title></style></textarea></script></xmp><svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+CALL//'>"),
    ("polyglot", "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=CALL )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=CALL//>\\x3e"),
    # Vietnamese text with payloads inside.
    ("vietnamese", "Đà Nẵng <script>CALL</script> mưa lớn kéo dài"),
    ("vietnamese", 'Hà Nội"><img src=x onerror=CALL>phố cổ'),
    ("vietnamese", "Thời sự <svg onload=CALL> hôm nay"),
    ("vietnamese", 'Giá vàng tăng <a href="javascript:CALL">xem</a> mạnh'),
    ("vietnamese", "Ủy ban nhân dân tỉnh' onmouseover='CALL' x='Thái Bình"),
    ("vietnamese", "Nghệ An </script><script>CALL</script> lũ quét"),
]  # fmt: skip


def _expand(number: int, template: str) -> str:
    call = f"__xss({number})"
    text = template.replace("{n}", str(number))
    text = text.replace("ENTITIES", _entities(f"javascript:{call}"))
    text = text.replace("DATAHTML", _data_html(number))
    text = text.replace(
        "URLENCODED", urllib.parse.quote(f"<script>{call}</script>", safe="")
    )
    return text.replace(CALL, call)


PAYLOADS: list[Payload] = [
    Payload(number, kind, _expand(number, template))
    for number, (kind, template) in enumerate(_TEMPLATES, start=1)
]


def chunks(limit: int, separator: str = " ") -> list[str]:
    """The payloads packed into as few values of at most ``limit`` characters as
    they fit in (a payload longer than that is cut): every payload is typed into
    a short field once, with no page load per payload."""
    packed: list[str] = []
    current = ""
    for payload in PAYLOADS:
        text = payload.text[:limit]
        joined = f"{current}{separator}{text}" if current else text
        if len(joined) <= limit:
            current = joined
        else:
            packed.append(current)
            current = text
    return [*packed, current] if current else packed


def everything(separator: str = "\n") -> str:
    """All payloads in one value, for fields with no length limit."""
    return separator.join(payload.text for payload in PAYLOADS)
