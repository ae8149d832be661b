from codesign.compare import compare_backends, write_report
from codesign.compare.report import markdown_text
from codesign.spec import spec_from_mapping
from tests.cases import spec_mapping


def test_markdown_text_is_one_literal_line():
    assert markdown_text("a\nb\r\tc") == "a b c"
    assert markdown_text("*bold* <b> [x](y) a|b #1") == (
        r"\*bold\* \<b\> \[x\](y) a\|b \#1"
    )


def test_spec_name_with_newlines_stays_in_the_report_title(tmp_path):
    raw = spec_mapping("hopfield")
    raw["name"] = "first\n# injected heading\n| a | table |"
    comparison = compare_backends(spec_from_mapping(raw), ["reference"])
    lines = write_report(comparison, tmp_path).read_text().splitlines()
    assert lines[0] == r"# first \# injected heading \| a \| table \|"
    assert not any(line.startswith("# injected") for line in lines)
