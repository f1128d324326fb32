#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz targets into fuzz/corpus/TARGET/ (small real inputs:
the shipped plan and rules files, roster rows, csv in UTF-8 and GBK, tiny xlsx workbooks).
Run from the repository root; the fuzzer grows the corpus from these."""

import io
import os
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
US = b"\x1f"  # the field separator of the fields, plan and rules targets


def corpus(target, name, data):
    folder = os.path.join(ROOT, "fuzz", "corpus", target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "seed-" + name), "wb") as f:
        f.write(data)


def read(path):
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read()


def resident_id(first17):
    """GB 11643-1999: the check character of an ID number."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c) * w for c, w in zip(first17, weights))
    return first17 + "10X98765432"[total % 11]


def uscc(first17):
    """GB 32100-2015: the check character of a unified social credit code."""
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(charset.index(c) * w for c, w in zip(first17, weights))
    return first17 + charset[(31 - total % 31) % 31]


def fields():
    person = resident_id("42011219900307123")
    code = uscc("91420112MA4KLGXX0")
    rows = {
        "migrant": ["张三", person, "13800138000", "径河街道", "新城社区", "大专",
                    "广东省", "东莞", "制造业", "电工", "焊接", "３", "观望", "", "是",
                    "2025年3月1日", ""],
        "graduate": ["李四", person.lower(), "138 0013 8000", "jinghe", "", "本科",
                     "武汉大学", "会计学", "本科", "2024-06-30", "会计"],
        "insurance": ["王五", person, code, "江城财务咨询有限公司", "养老,医疗",
                      "2025/1", "2025/12"],
        "numbers": ["1,234.50", "3万", "１２３", "45717", "2025.3.1", "20250301",
                    "-0", "1e309", "３．５", "12.5%", "２０２５Ｑ３"],
        "footer": ["合计", "填表人：张三", "审核人", "总计：", "\u3000\u200b"],
    }
    for name, row in rows.items():
        corpus("fields", name, US.join(cell.encode() for cell in row))


def plans():
    plan = read("plans/dongxihu-2025-2027.toml")
    corpus("plan", "dongxihu", plan + US + b"2026Q2")
    # The plan's head alone: a plan with no units or tasks.
    corpus("plan", "head", plan[: plan.index(b"[[units]]")] + US + b"2025")


def rules():
    files = [
        (0, "fraud", "rules/fraud-screening.toml", "日结 押金 高薪"),
        (1, "weights", "matching/weights.toml", "5"),
        (1, "streets", "matching/streets.toml", "jinghe"),
        (2, "calendar", "calendar/cn-workdays.toml", "x" * 10),
        (4, "emerging", "classifications/emerging-industries-2018.tsv", "C"),
        (5, "occupations", "classifications/occupations-2022.tsv", "2-06-03-00"),
        (6, "synonyms", "classifications/synonyms.toml", "本科"),
    ]
    for which, name, path, other in files:
        corpus("rules", name, bytes([which]) + read(path) + US + other.encode())
    cases = os.path.join("policies", "cases")
    for case in sorted(os.listdir(os.path.join(ROOT, cases)))[:3]:
        corpus("rules", "rulebook-" + case, bytes([3]) + read("policies/dongxihu.toml") + US
               + read(os.path.join(cases, case)))


def csvs():
    roster = "姓名,身份证号,手机号,街道\r\n张三,420112199003071234,13800138000,径河街道\r\n\r\n" \
             "\"李四\",\"4201121990\n03071234\",\"138,0013\"\"8000\",吴家山\r\n合计,2,,\r\n"
    corpus("csv", "utf8", roster.encode())
    corpus("csv", "utf8-bom", b"\xef\xbb\xbf" + roster.encode())
    corpus("csv", "gbk", roster.encode("gbk"))
    corpus("csv", "ascii-then-gbk", b"name,id\n" * 20 + "张三,1\n".encode("gbk"))
    corpus("csv", "unclosed-quote", b'a,"b\nc,d\n')


def xlsx(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return buffer.getvalue()


MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
                "</Relationships>")
WORKBOOK_RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
                 f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
                 f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/>'
                 "</Relationships>")


def workbooks():
    base = {
        "_rels/.rels": PACKAGE_RELS,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/workbook.xml": f'<workbook {MAIN} xmlns:r="{REL}"><workbookPr date1904="0"/><sheets>'
                           '<sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/styles.xml": f'<styleSheet {MAIN}><numFmts count="1"><numFmt numFmtId="164" '
                         'formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/></numFmts>'
                         '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/>'
                         '<xf numFmtId="164"/></cellXfs></styleSheet>',
        "xl/sharedStrings.xml": f'<sst {MAIN} count="3" uniqueCount="3"><si><t>姓名</t></si>'
                                '<si><r><t>张</t></r><r><t xml:space="preserve"> 三</t></r>'
                                '<rPh><t>ちょう</t></rPh></si><si><t>a_x000D_b</t></si></sst>',
        "xl/worksheets/sheet1.xml": f'<worksheet {MAIN}><sheetData>'
                                    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
                                    '<row r="3"><c r="A3" s="1"><v>45717</v></c><c r="C3" t="inlineStr">'
                                    '<is><t>内联</t></is></c><c r="D3" t="b"><v>1</v></c>'
                                    '<c r="E3" t="e"><v>#N/A</v></c><c t="str"><f>A1</f><v>x</v></c>'
                                    '<c r="XFD3" t="d"><v>2025-03-01T12:00:00</v></c></row>'
                                    '<row/><row><c><v>3.5</v></c></row></sheetData></worksheet>',
    }
    raw = b"\0\0\0\x80"  # the xlsx target's Input::Raw: the bytes after it are the file
    corpus("xlsx", "workbook", raw + xlsx(base))
    corpus("csv", "workbook", xlsx(base))
    no_strings = dict(base)
    del no_strings["xl/sharedStrings.xml"]
    corpus("xlsx", "no-shared-strings", raw + xlsx(no_strings))
    prefixed = dict(base)
    prefixed["xl/worksheets/sheet1.xml"] = (
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<x:sheetData><x:row><x:c t="inlineStr"><x:is><x:t>甲</x:t></x:is></x:c></x:row>'
        "</x:sheetData></x:worksheet>")
    corpus("xlsx", "prefixed", raw + xlsx(prefixed))


def searches():
    for i, text in enumerate(["会计", "CAD 提成", "<mark>&amp;", "底薪加提成 五险一金 Linux"]):
        corpus("search_query", f"text-{i}", text.encode())


fields()
plans()
rules()
csvs()
workbooks()
searches()
