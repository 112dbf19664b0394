"""Regenerate tests/cases/broken/ from the mini files in broken-base/: one fault per file.

broken-base/ keeps the mini questionnaire, answers and catalogue as they were when these cases
were written (tests/cases/valid/ has since gained steps and owners): the line numbers below
refer to them, so the generated corpus stays the one that is committed.

Each file starts with `# expect: CODE LINE SEVERITY` (LINE 0: position not asserted).
Run: python tests/cases/make_broken.py
"""

import os
import shutil

here = os.path.dirname(os.path.abspath(__file__))
base_dir = os.path.join(here, "broken-base")
out = os.path.join(here, "broken")
Q = open(f"{base_dir}/mini.yaml", encoding="utf-8").read().split("\n")
A = open(f"{base_dir}/mini-answers.yaml", encoding="utf-8").read().split("\n")
C = open(f"{base_dir}/mini-catalogue.yaml", encoding="utf-8").read().split("\n")


def make(name, base, code, line, edits, severity="error"):
    sub = {"q": "questionnaire", "a": "answers", "c": "catalogue"}[name[0]]
    lines = list(base)
    # edits: list of (op, lineno(1-based), text); applied bottom-up
    for op, n, text in sorted(edits, key=lambda e: -e[1]):
        if op == "set":
            lines[n - 1] = text
        elif op == "insert_after":
            lines.insert(n, text)
        elif op == "delete":
            del lines[n - 1]
    lines[0] = f"# expect: {code} {line} {severity}"
    os.makedirs(f"{out}/{sub}", exist_ok=True)
    with open(f"{out}/{sub}/{name}.yaml", "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))


def q(n):
    return Q[n - 1]


make("q-unknown-key", Q, "DX101", 26, [("set", 26, q(26).replace("help:", "hlep:"))])
make("q-missing-key", Q, "DX102", 22, [("delete", 27, None)])
make("q-duplicate-key", Q, "DX006", 26, [("insert_after", 25, q(25))])
make("q-duplicate-question-id", Q, "DX201", 30, [("set", 30, "      - id: leadership.mayor_commitment")])
make("q-id-prefix", Q, "DX202", 39, [("set", 39, "      - id: leadership.pc_age")])
make("q-unknown-section", Q, "DX203", 33, [("set", 33, "        manual: [S9.9]")])
make("q-when-syntax", Q, "DX204", 59, [("set", 59, '        when: infrastructure.wifi !! "none"')])
make("q-when-unknown-ref", Q, "DX205", 59, [("set", 59, "        when: infrastructure.nothing == true")])
make("q-when-forward-ref", Q, "DX205", 50, [("insert_after", 49, "        when: infrastructure.wifi_secured == true")])
make("q-missing-language", Q, "DX206", 25, [("set", 25, "        text: {ja: 首長はDXに自ら関与していますか。}")])
make("q-extra-language", Q, "DX206", 41, [("set", 41, q(41)[:-1] + ", fr: Quel âge ont les PC?}")])
make("q-empty-text", Q, "DX206", 26, [("set", 26, "        help: {ja: '', en: Minutes count.}")])
make("q-scale-gap", Q, "DX207", 10, [("delete", 12, None)])
make("q-thresholds-unordered", Q, "DX208", 46, [("set", 46, "        thresholds: [8, 7, 9, 5, 4]")])
make("q-thresholds-out-of-bounds", Q, "DX208", 46, [("set", 46, "        thresholds: [30, 7, 6, 5, 4]")])
make("q-weight-zero", Q, "DX209", 19, [("set", 19, "    weight: 0")])
make("q-unknown-scale", Q, "DX210", 24, [("set", 24, "        scale: maturiti")])
make("q-min-above-max", Q, "DX211", 43, [("set", 43, "        min: 30")])
make("q-duplicate-option", Q, "DX212", 56, [("set", 56, q(56).replace("key: everywhere", "key: none"))])
make("q-unreachable", Q, "DX213", 59, [("set", 59, '        when: infrastructure.wifi == "nowhere"')], "warning")
make("q-level-override-range", Q, "DX100", 29, [("set", 29, q(29).replace("5:", "7:"))])
make("q-target-range", Q, "DX100", 20, [("set", 20, q(20).replace("town_village: 3", "town_village: 7"))])
make("q-bad-type", Q, "DX100", 23, [("set", 23, "        type: slider")])
make("q-weight-text", Q, "DX100", 19, [("set", 19, "    weight: heavy")])
make("q-catalogue-missing", Q, "DX214", 6, [("set", 6, "catalogue: nowhere")])
make("q-version-float", Q, "DX100", 3, [("set", 3, "version: 1.0")])
make(
    "q-target-tier-missing",
    Q,
    "DX219",
    37,
    [("set", 37, "    targets: {designated_city: 4, core_city: 4, city: 3, special_ward: 4}")],
)
make("q-merge-key", Q, "DX011", 20, [("set", 20, "    <<: {weight: 1}")])
make("q-yaml-syntax", Q, "DX003", 5, [("set", 5, "title: {ja: ミニ診断, en: [Mini check}")])
make("q-tab-indent", Q, "DX003", 19, [("set", 19, "\tweight: 2")])


def a(n):
    return A[n - 1]


make("a-value-out-of-range", A, "DX303", 6, [("set", 6, "  leadership.mayor_commitment: {value: 7}")])
make("a-unknown-question", A, "DX302", 7, [("set", 7, "  leadership.polcy: {value: false}")])
make("a-bad-check-digit", A, "DX305", 3, [("set", 3, a(3).replace('"011002"', '"011003"'))])
make("a-population-zero", A, "DX100", 3, [("set", 3, a(3).replace("1973395", "0"))])
make("a-unknown-version", A, "DX301", 2, [("set", 2, 'questionnaire: {id: mini, version: "9.9.9"}')])
make("a-na-not-allowed", A, "DX304", 7, [("set", 7, "  leadership.policy: {na: true}")])
make("a-unknown-option", A, "DX303", 9, [("set", 9, "  infrastructure.wifi: {value: attic}")])
make("a-numeric-out-of-range", A, "DX303", 8, [("set", 8, "  infrastructure.pc_age: {value: 99}")])
make(
    "a-value-and-skipped", A, "DX100", 10, [("set", 10, "  infrastructure.wifi_secured: {value: true, skipped: true}")]
)
make("a-bad-date", A, "DX003", 4, [("set", 4, "assessed: 2026-13-45")])
make("a-prefecture-mismatch", A, "DX306", 3, [("set", 3, a(3).replace("北海道", "沖縄県"))])
make("a-code-unquoted", A, "DX100", 3, [("set", 3, a(3).replace('"011002"', "11002"))])
make("a-yesno-as-text", A, "DX303", 7, [("set", 7, '  leadership.policy: {value: "yes"}')])
make("a-unknown-key", A, "DX101", 6, [("set", 6, "  leadership.mayor_commitment: {value: 3, nots: typo}")])
make("a-missing-assessed", A, "DX102", 2, [("delete", 4, None)])
make(
    "a-answered-but-hidden",
    A,
    "DX307",
    10,
    [("set", 9, "  infrastructure.wifi: {value: none}"), ("set", 10, "  infrastructure.wifi_secured: {value: true}")],
    "warning",
)
make("a-prefecture-code", A, "DX305", 3, [("set", 3, a(3).replace('"011002"', '"010006"'))])
make("a-name-mismatch", A, "DX310", 3, [("set", 3, a(3).replace("札幌市", "札幌町"))], "warning")
make("a-unknown-municipality", A, "DX311", 3, [("set", 3, a(3).replace('"011002"', '"019909"'))])
make("a-ward-code", A, "DX311", 3, [("set", 3, a(3).replace('"011002"', '"011011"'))])
make("a-synthetic-real-code", A, "DX312", 3, [("insert_after", 2, "synthetic: true")], "warning")


def c(n):
    return C[n - 1]


make("c-duplicate-section", C, "DX201", 15, [("set", 15, "  - id: S0.1")])
make("c-http-url", C, "DX100", 19, [("set", 19, "    url: http://www.soumu.go.jp/main_content/000919516.pdf")])
make("c-missing-summary", C, "DX102", 15, [("delete", 21, None)])
make("c-bad-section-id", C, "DX100", 7, [("set", 7, "  - id: section-one")])


def raw(name, data, code, line):
    header = f"# expect: {code} {line} error\n".encode()
    os.makedirs(f"{out}/input", exist_ok=True)
    with open(f"{out}/input/{name}.yaml", "wb") as fh:
        fh.write(header + data)


raw("x-empty", b"\n\n", "DX010", 1)
raw("x-binary", b"\x00\x01\x02PK\x03\x04", "DX002", 2)
raw("x-cp932", "id: mini\ntitle: {ja: ミニ診断}\n".encode("cp932"), "DX002", 3)
raw("x-list-top", b"- a\n- b\n", "DX007", 1)
raw("x-scalar-top", b"just some text\n", "DX007", 1)
raw("x-unknown-kind", b"foo: bar\n", "DX008", 1)
raw("x-deep", b"a: " + b"[" * 150 + b"]" * 150 + b"\n", "DX004", 2)
bomb = b"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
for p, n in zip("abcdefgh", "bcdefghi", strict=True):
    bomb += f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n".encode()
raw("x-alias-bomb", bomb, "DX005", 0)
raw("x-complex-key", b"? [a, b]\n: c\n", "DX011", 2)
shutil.copy(f"{base_dir}/mini-catalogue.yaml", f"{out}/questionnaire/mini-catalogue.yaml")
