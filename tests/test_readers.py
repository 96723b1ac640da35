"""Corpus readers: CoNLL-U, IOB/TSV, the PhoneXL release TSV, detection and errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from alignment_dataset.readers import (
    CorpusFormatError,
    detect_format,
    read_conllu,
    read_corpus,
    read_iob,
    read_phonexl,
    read_phonexl_ipa,
)

CONLLU = """\
# sent_id = s1
# text = Đi học.
1-2\tĐi học\t_\t_\t_\t_\t_\t_\t_\t_
1\tĐi\tđi\tVERB\t_\t_\t0\troot\t_\t_
2\thọc\thọc\tVERB\t_\t_\t1\txcomp\t_\t_
2.1\tx\tx\tNOUN\t_\t_\t_\t_\t1:dep\t_
3\t.\t.\tPUNCT\t_\t_\t1\tpunct\t_\t_

# a block of comments only

1\thải quân\thải quân\tNOUN\t_\t_\t0\troot\t_\t_
"""


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_conllu_keeps_syntactic_words_and_skips_ranges_and_empty_nodes(tmp_path):
    first, empty, last = read_conllu(write(tmp_path, "x.conllu", CONLLU))
    assert first.id == "s1"
    assert first.tokens == ("Đi", "học", ".")
    assert first.labels == ("VERB", "VERB", "PUNCT")
    assert first.lines == (4, 5, 7)
    assert empty.tokens == () and empty.source.endswith(":9")
    assert last.tokens == ("hải quân",) and last.id == "x:11"


def test_iob_and_phonexl_columns(tmp_path):
    iob = write(tmp_path, "a.tsv", "Hà Nội\tB-LOC\nđẹp\tO\n\n\nTôi\tO\n")
    sentences = list(read_iob(iob))
    assert [s.tokens for s in sentences] == [("Hà Nội", "đẹp"), ("Tôi",)]
    assert [s.labels for s in sentences] == [("B-LOC", "O"), ("O",)]
    assert [s.lines for s in sentences] == [(1, 2), (5,)]
    release = write(tmp_path, "dev-vi.tsv", "Cầu\tB-ORG\tkɤ̆w\tCầu\n,\tO\t,\t,\n")
    (sentence,) = read_phonexl(release)
    assert sentence.tokens == ("Cầu", ",") and sentence.labels == ("B-ORG", "O")
    assert [ipa for _, ipa in read_phonexl_ipa(release)] == [("kɤ̆w", ",")]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("a.conllu", "1\tx\n", "conllu"),  # the suffix decides
        ("a.txt", "# c\n1\tx\tx\tX\t_\t_\t0\troot\t_\t_\n", "conllu"),
        ("a.tsv", "x\tO\n", "iob"),
        ("a.tsv", "#\tO\n", "iob"),  # a "#" token is not a comment
        ("a.tsv", "x\tO\tks\tx\n", "phonexl"),
    ],
)
def test_detect_format(tmp_path, name, text, expected):
    assert detect_format(write(tmp_path, name, text)) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x\tO\tz\n", "cannot detect the format from 3 columns"),
        ("", ":1: no token line in the file"),
        ("\n\n# only a comment\n", ":1: no token line in the file"),
    ],
)
def test_detect_format_errors(tmp_path, text, message):
    with pytest.raises(CorpusFormatError, match=message):
        detect_format(write(tmp_path, "a.tsv", text))


@pytest.mark.parametrize(
    ("fmt", "text", "line", "message"),
    [
        ("iob", "a\tO\nb\tO\tX\n", 2, "expected 2 tab-separated columns"),
        ("phonexl", "a\tO\ta\ta\n\nb\tO\n", 3, "expected 4 tab-separated columns"),
        ("conllu", "1\ta\ta\tX\n", 1, "expected 10 CoNLL-U columns, got 4"),
        ("iob", b"a\tO\n\n\xff\xfe\tO\n", 3, "not UTF-8"),
        ("iob", b"a\tO\n\xed\xa0\x80\tO\n", 2, "not UTF-8"),  # a surrogate, CESU-8 style
        ("conllu", "1\ta\t_\tX\t_\t_\t_\t_\t_\t_\nX\tB\tB\tX\t_\t_\t_\t_\t_\t_\n", 2,
         "CoNLL-U ID 'X' is not a word number"),
        ("conllu", "1.x\ta\t_\tX\t_\t_\t_\t_\t_\t_\n", 1, "CoNLL-U ID '1.x'"),
        ("conllu", "0\ta\t_\tX\t_\t_\t_\t_\t_\t_\n", 1, "CoNLL-U ID '0'"),
    ],
)
def test_errors_name_file_and_line(tmp_path, fmt, text, line, message):
    path = write(tmp_path, "bad.txt", text)
    with pytest.raises(CorpusFormatError) as caught:
        list(read_corpus(path, fmt))
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert message in str(caught.value)


def test_on_error_skips_the_bad_sentence_and_goes_on(tmp_path):
    path = write(tmp_path, "mixed.tsv", b"a\tO\n\nb\tO\tX\nc\tO\n\n\xffd\tO\n\ne\tB-PER\n")
    errors: list[CorpusFormatError] = []
    sentences = list(read_corpus(path, "iob", errors.append))
    assert [s.tokens for s in sentences] == [("a",), ("e",)]
    assert [str(e).split(": ")[0] for e in errors] == [f"{path}:3", f"{path}:6"]


def test_bom_and_crlf_are_not_part_of_the_text(tmp_path):
    path = write(tmp_path, "bom.tsv", "\ufeffNgười\tB-PER\r\nta\tO\r\n\r\nđi\tO\r\n")
    assert detect_format(path) == "iob"
    assert [s.tokens for s in read_corpus(path)] == [("Người", "ta"), ("đi",)]
    assert [s.labels for s in read_corpus(path)] == [("B-PER", "O"), ("O",)]
    conllu = write(tmp_path, "bom.conllu", "\ufeff" + CONLLU.replace("\n", "\r\n"))
    assert [s.tokens for s in read_conllu(conllu)][0] == ("Đi", "học", ".")


def test_unknown_format_is_a_value_error(tmp_path):
    with pytest.raises(ValueError, match="unknown format"):
        read_corpus(write(tmp_path, "a.tsv", "a\tO\n"), "csv")


@pytest.mark.parametrize(
    ("relative", "sentences"),
    [
        ("ud/vi_vtb-ud-dev.conllu", 1123),
        ("ud/ja_gsd-ud-dev.conllu", 507),
        ("phonexl_original/panx/dev-vi.tsv", 10000),
        ("phonexl_original/udpos/dev-ja.tsv", 511),
    ],
)
def test_real_files_read_completely(shared, relative, sentences):
    path = shared / relative
    read = list(read_corpus(path))
    assert len(read) == sentences
    assert all(len(s.tokens) == len(s.labels) == len(s.lines) > 0 for s in read)
