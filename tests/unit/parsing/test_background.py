"""Issue 25: the learned instruction-or-background check asks about a task read from a pasted text's sentence
that looks like a report of what happened, never about a task typed in the chat or a numbered entry; and the
addressee and member lists that the rules used to cut."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from bot.parsing import background
from bot.parsing.result import PROBLEM_BACKGROUND

from .conftest import Parse

ROOT = Path(__file__).resolve().parents[3]

ARTICLE = ("Ngày 5/11, UBND tỉnh tổ chức hội nghị sơ kết công tác phòng, chống thiên tai. Theo báo cáo, trong năm "
           "qua Sở Nông nghiệp và Môi trường đã phối hợp với các địa phương triển khai nhiều giải pháp, tuy nhiên một "
           "số công trình vẫn chậm tiến độ. Sở Xây dựng tổ chức kiểm tra 12 công trình trọng điểm trong tháng 10 và "
           "phát hiện nhiều sai phạm về chất lượng. Phát biểu kết luận, Phó Chủ tịch UBND tỉnh giao Sở Y tế chủ trì, "
           "phối hợp với Sở Tài chính rà soát trang thiết bị, hoàn thành trước ngày 30/11/2026.")


def test_a_pasted_report_of_what_a_department_did_asks_before_it_is_assigned(parse: Parse) -> None:
    report, task = parse(ARTICLE).directives
    assert report.lead == ("SXD",) and PROBLEM_BACKGROUND in report.problems
    assert "background" in report.questions
    assert task.lead == ("SYT",) and task.support == ("STC",) and not task.problems  # the real task is not doubted


def test_a_task_typed_in_the_chat_is_never_doubted_by_the_model(parse: Parse) -> None:
    (d,) = parse("Sở Xây dựng tổ chức kiểm tra 12 công trình trọng điểm trong tháng 10 và phát hiện nhiều sai phạm."
                 ).directives
    assert d.lead == ("SXD",) and PROBLEM_BACKGROUND not in d.problems


def test_a_numbered_entry_of_a_pasted_notice_is_not_doubted(parse: Parse) -> None:
    notice = ("Thông báo kết luận của Phó Chủ tịch UBND tỉnh tại buổi làm việc với các sở, ngành về tình hình thực "
              "hiện các dự án đầu tư công trên địa bàn tỉnh trong 10 tháng đầu năm 2026 như sau:\n"
              "1. Sở Xây dựng tổ chức kiểm tra 12 công trình trọng điểm trong tháng 10 và phát hiện nhiều sai phạm.\n"
              "2. Sở Y tế rà soát trang thiết bị, hoàn thành trước ngày 30/11/2026.")
    drafts = parse(notice).directives
    assert [d.lead for d in drafts] == [("SXD",), ("SYT",)]
    assert not any(PROBLEM_BACKGROUND in d.problems for d in drafts)


def test_sentences_end_at_stops_but_not_after_an_abbreviation() -> None:
    text = "UBND TP. Đà Nẵng giao Sở Y tế kiểm tra. Q. Hải Châu báo cáo; xong trong tuần.\nDòng sau"
    assert [text[a:b].strip() for a, b in background.sentence_spans(text)] == [
        "UBND TP. Đà Nẵng giao Sở Y tế kiểm tra.", "Q. Hải Châu báo cáo;", "xong trong tuần.", "Dòng sau"]


def test_the_model_reads_numbers_as_zero_so_dates_do_not_decide() -> None:
    assert background.features_text("Trước  ngày 15/12/2026") == "trước ngày 0/0/0"


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_background", ROOT / "benchmarks" / "bench_background.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench


def test_the_training_file_is_built_from_the_development_corpora_only() -> None:
    root = ROOT
    if not (root.parent / "shared" / "corpus").is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("the shared corpus is missing")
        pytest.skip("the shared corpus is not checked out")
    bench = _bench()
    rows = background.read_rows()
    assert rows == bench.corpus_rows(), "run: python benchmarks/bench_background.py --write"
    held_out = {line.split('"id": "')[1].split('"')[0]
                for part in ("test16.jsonl", "test17.jsonl")
                for line in (root / "tests" / "corpus" / "fresh" / part).read_text(encoding="utf-8").splitlines()
                if line.strip()}
    assert held_out and not held_out & {ident for _, ident, _ in rows}  # nothing learned from a part still held out
    assert {label for label, _, _ in rows} == {0, 1}


def test_a_letters_addressees_separated_by_semicolons_are_one_list(parse: Parse) -> None:
    (d,) = parse("UBND tỉnh vừa có Công điện gửi: Giám đốc các sở, ban, ngành; Chủ tịch UBND các xã, phường về việc "
                 "khẩn trương ứng phó với bão số 3.").directives
    assert d.lead == ("#so-nganh", "#dia-phuong")
    assert d.content == "khẩn trương ứng phó với bão số 3"


def test_a_colon_before_a_groups_members_ends_no_clause(parse: Parse) -> None:
    (d,) = parse("Giao Sở Xây dựng hướng dẫn UBND các phường: Thuận Hóa, Thuận An rà soát nhà tạm.").directives
    assert d.lead == ("SXD",)
    assert "Thuận Hóa, Thuận An rà soát nhà tạm" in d.content


def test_a_department_named_by_its_sector_is_that_department(parse: Parse) -> None:
    (d,) = parse("Chủ tịch UBND tỉnh đề nghị ngành Nông nghiệp chỉ đạo các đơn vị tăng cường bám đồng.").directives
    assert d.lead == ("SNNMT",)
    (e,) = parse("Yêu cầu ngành Y tế, ngành Văn hóa kiểm tra các cơ sở.").directives
    assert e.lead == ("SYT", "SVHTTDL")


def test_places_named_after_one_kind_word_are_each_that_place(parse: Parse) -> None:
    (d,) = parse("Giao Sở Xây dựng phối hợp với 2 phường Thuận An và Thuận Hóa khảo sát tuyến đường.").directives
    assert d.lead == ("SXD",) and d.support == ("P-THUANAN", "P-THUANHOA") and d.content == "khảo sát tuyến đường"
    (e,) = parse("UBND các phường Thuận An, Thuận Hóa và Sở Y tế kiểm tra bếp ăn.").directives
    assert e.lead == ("P-THUANAN", "P-THUANHOA", "SYT")


def test_a_group_written_without_cac_is_the_group(parse: Parse) -> None:
    (d,) = parse("UBND xã, phường tiếp nhận các công trình hạ tầng kỹ thuật.").directives
    assert d.lead == ("#dia-phuong",) and d.content == "tiếp nhận các công trình hạ tầng kỹ thuật"


def test_an_announcement_with_no_addressee_before_its_details_is_no_task(parse: Parse) -> None:
    drafts = parse("Chủ tịch UBND tỉnh vừa thống nhất tạm giao quyền cho UBND xã, phường trên địa bàn quản lý các công trình.\n"
                   "Theo đó, UBND xã, phường chịu trách nhiệm tiếp nhận các công trình hạ tầng kỹ thuật.").directives
    assert [d.lead for d in drafts] == [("#dia-phuong",)]


def test_the_city_as_issuer_starts_a_new_task_with_its_own_deadline(parse: Parse) -> None:
    first, second = parse("UBND thành phố yêu cầu Sở Y tế kiểm tra các cơ sở. Thành phố cũng yêu cầu UBND các xã, "
                          "phường rà soát hộ nghèo trước ngày 13-2-2027.").directives
    assert first.lead == ("SYT",) and first.deadline is None and first.content == "kiểm tra các cơ sở"
    assert second.lead == ("#dia-phuong",) and second.deadline is not None and second.deadline.isoformat() == "2027-02-13"


def test_what_a_unit_asks_of_the_province_is_no_task_but_its_report_to_it_is(parse: Parse) -> None:
    assert parse("Sở Xây dựng đề nghị UBND tỉnh bố trí vốn cho dự án.").kind == "unknown"
    (d,) = parse("Sở Xây dựng báo cáo UBND tỉnh kết quả trước ngày 30/11/2026.").directives
    assert d.lead == ("SXD",)


def test_what_the_issuer_will_do_asks_whether_it_is_a_task(parse: Parse) -> None:
    (d,) = parse("UBND tỉnh sẽ chỉ đạo Sở Y tế kiểm tra các cơ sở.").directives
    assert d.lead == ("SYT",) and PROBLEM_BACKGROUND in d.problems


def test_a_closing_formula_after_the_tasks_is_no_task(parse: Parse) -> None:
    drafts = parse("UBND tỉnh giao Sở Y tế kiểm tra an toàn thực phẩm tại các bếp ăn tập thể. Giao Sở Tài chính bố trí "
                   "kinh phí. Các sở, ban, ngành, địa phương căn cứ chức năng, nhiệm vụ khẩn trương triển khai thực "
                   "hiện.").directives
    assert [d.lead for d in drafts] == [("SYT",), ("STC",)]
    # a group given a task of its own is still a task
    drafts = parse("UBND tỉnh giao Sở Y tế kiểm tra. Các sở, ngành triển khai thực hiện nghiêm túc các nội dung tại "
                   "Công văn của Tỉnh ủy về tổ chức Tết.").directives
    assert [d.lead for d in drafts] == [("SYT",), ("#so-nganh",)]


def test_a_letters_kinh_gui_list_is_who_its_tasks_for_cac_don_vi_are_for(parse: Parse) -> None:
    (d,) = parse("Kính gửi:\n- Sở Y tế;\n- Sở Tài chính;\n- UBND các xã, phường.\n\nThực hiện Công văn số "
                 "123/BYT-KHTC ngày 10/11/2026 của Bộ Y tế về việc tiêm chủng mở rộng, Chủ tịch UBND tỉnh yêu cầu các "
                 "đơn vị khẩn trương rà soát nhu cầu vắc xin, báo cáo UBND tỉnh trước ngày 30/11/2026.").directives
    assert d.lead == ("SYT", "STC", "#dia-phuong") and d.deadline is not None
    (e,) = parse("Kính gửi: Sở Y tế.\nChủ tịch UBND tỉnh yêu cầu khẩn trương rà soát nhu cầu vắc xin.").directives
    assert e.lead == ("SYT",) and e.content == "khẩn trương rà soát nhu cầu vắc xin"


def test_a_lead_sentence_announcing_the_tasks_below_is_no_task(parse: Parse) -> None:
    drafts = parse("UBND tỉnh yêu cầu các sở, ngành theo chức năng, nhiệm vụ được giao triển khai thực hiện một số nội "
                   "dung sau:\n1. Sở Y tế kiểm tra bếp ăn tập thể.\n2. Sở Tài chính bố trí kinh phí.").directives
    assert [d.lead for d in drafts] == [("SYT",), ("STC",)]


@pytest.mark.parametrize("verb", ["lưu ý", "nhắc nhở", "quán triệt", "chỉ thị"])
def test_the_issuer_assigns_with_the_verbs_of_a_notice(parse: Parse, verb: str) -> None:
    (d,) = parse(f"Chủ tịch UBND tỉnh {verb} Sở Y tế tăng cường kiểm tra bếp ăn.").directives
    assert d.lead == ("SYT",) and d.content == "tăng cường kiểm tra bếp ăn"


def test_a_directive_document_named_is_no_verb(parse: Parse) -> None:
    assert parse("UBND tỉnh ban hành Chỉ thị số 15/CT-UBND về tăng cường kiểm tra.").kind == "unknown"
    assert parse("Chỉ thị số 15/CT-UBND ngày 10/11/2026 của UBND tỉnh về tăng cường kiểm tra.").kind == "unknown"


def test_bodies_the_list_lacks_before_a_semicolon_do_not_cut_the_addressees(parse: Parse) -> None:
    (d,) = parse("UBND tỉnh yêu cầu Thủ trưởng các sở, ban, ngành, đoàn thể thuộc tỉnh; Chủ tịch UBND các xã, phường "
                 "khẩn trương ứng phó với bão số 3.").directives
    assert d.lead == ("#so-nganh", "#dia-phuong") and d.content == "khẩn trương ứng phó với bão số 3"


def test_the_laws_name_for_the_departments_is_the_departments(parse: Parse) -> None:
    (d,) = parse("Chủ tịch UBND tỉnh yêu cầu thủ trưởng các cơ quan chuyên môn thuộc UBND tỉnh, Chủ tịch UBND các xã, "
                 "phường tổ chức tốt công tác tiếp công dân.").directives
    assert d.lead == ("#so-nganh", "#dia-phuong")


def test_a_group_ending_in_the_city_it_names_keeps_the_name_out_of_the_task(parse: Parse) -> None:
    drafts = parse("Chủ tịch UBND tỉnh vừa có Công văn số 76/UBND-TCD gửi thủ trưởng các cơ quan chuyên môn thuộc UBND "
                   "tỉnh, Chủ tịch UBND các xã, phường và TP. Huế về việc phối hợp tiếp công dân.").directives
    assert [(d.lead, d.content) for d in drafts] == [(("#so-nganh", "#dia-phuong"), "phối hợp tiếp công dân")]


# The packaged model against scikit-learn: the bot scores in plain Python what the build's pipeline computes.

UNSEEN = ["", "   ", "a", "ô", "Giao Sở Y tế kiểm tra", "UBND tỉnh đã có nhiều văn bản chỉ đạo về công tác này.",
          "Đề nghị   UBND các xã,phường rà soát!!! (trước 15/12/2026) — «gấp»", "İstanbul ẞ ﬁ Ω ǅ x_y 3a",
          "Ông Nguyễn Văn A, Giám đốc Sở Xây dựng phát biểu tại hội nghị sơ kết.", "chủ trì " * 200,
          "Kiến nghị của cử tri phường Thuận An về việc sửa chữa tuyến đường ven biển bị sạt lở.", ARTICLE]


@pytest.fixture(scope="module")
def pipeline() -> Any:
    if importlib.util.find_spec("sklearn") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("scikit-learn (the test extra) is missing: the packaged model is not checked")
        pytest.skip("scikit-learn (the test extra) is not installed")
    return background.train(background.read_rows())


def test_the_plain_python_model_gives_scikit_learns_probabilities(pipeline: Any) -> None:
    texts = [background.features_text(s) for _, _, s in background.read_rows()] + [
        background.features_text(s) for s in UNSEEN] + UNSEEN  # also as given: upper case, digits, spaces
    expected = pipeline.predict_proba(texts)[:, 1]
    got = background.SentenceModel.load().probabilities(texts)
    worst = max(abs(float(e) - g) for e, g in zip(expected, got, strict=True))
    assert worst < 1e-6
    assert [g >= background.THRESHOLD for g in got] == [bool(e >= background.THRESHOLD) for e in expected]


def test_the_n_grams_are_scikit_learns(pipeline: Any) -> None:
    blocks = background.SentenceModel.load().blocks
    for block, (_, vectorizer) in zip(blocks, pipeline.steps[0][1].transformer_list, strict=True):
        analyse = vectorizer.build_analyzer()
        for text in UNSEEN:
            assert sorted(block.grams(text)) == sorted(analyse(text)), (block.analyzer, text)


def test_the_packaged_model_is_what_the_build_writes_from_the_training_file(pipeline: Any) -> None:
    """A training file changed without `python benchmarks/bench_background.py --write` fails here."""
    packaged = json.loads(background.MODEL.read_text(encoding="utf-8"))
    rows = background.read_rows()
    assert packaged["sha256"] == background.data_digest(), "run: python benchmarks/bench_background.py --write"
    fresh = background.model_spec(pipeline, len(rows), background.data_digest())
    assert packaged["documents"] == fresh["documents"] == len(rows)
    # liblinear stops at its tolerance (1e-4 on the dual), so another scikit-learn or BLAS moves a weight in the
    # sixth decimal (1.5e-6 seen with scikit-learn 1.9): the file must agree to 1e-5, far below what moves a decision
    assert abs(packaged["intercept"] - fresh["intercept"]) < 1e-5
    for old, new in zip(packaged["blocks"], fresh["blocks"], strict=True):
        assert {k: v for k, v in old.items() if k != "terms"} == {k: v for k, v in new.items() if k != "terms"}
        assert list(old["terms"]) == list(new["terms"])  # the same n-grams in the same order
        assert all(old["terms"][t][0] == df and abs(old["terms"][t][1] - c) < 1e-5
                   for t, (df, c) in new["terms"].items())
    # what the bot reads from the file is what it was given
    assert background.SentenceModel(json.loads(background.render_model(fresh))).probabilities(["giao sở y tế"]) == \
        background.SentenceModel(fresh).probabilities(["giao sở y tế"])


def test_cross_validation_can_score_with_a_pipeline_or_a_plain_model(pipeline: Any) -> None:
    sentences = ["UBND tỉnh đã có nhiều văn bản chỉ đạo về công tác này.", ARTICLE]
    packaged = background.instruction_probability(sentences)
    try:
        background.use_model(pipeline)
        assert background.instruction_probability(sentences) == pytest.approx(packaged, abs=1e-6)
        background.use_model(background.SentenceModel(background.model_spec(pipeline, len(background.read_rows()))))
        assert background.instruction_probability(sentences) == pytest.approx(packaged, abs=1e-6)
    finally:
        background.use_model(None)
    assert background.instruction_probability(sentences) == packaged


def test_the_model_file_is_read_once_whichever_threads_ask(monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[int] = []
    real = background.SentenceModel.load

    def counted(path: Path | None = None) -> background.SentenceModel:
        loads.append(1)
        return real(path)

    monkeypatch.setattr(background.SentenceModel, "load", staticmethod(counted))
    monkeypatch.setattr(background, "_loaded", [])
    start = threading.Barrier(8)
    got: list[object] = []

    def ask() -> None:
        start.wait()
        got.append(background._model())

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(loads) == 1 and len(got) == 8 and got[0] is not None and all(m is got[0] for m in got)


def test_without_the_model_file_the_check_is_skipped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(background, "MODEL", tmp_path / "missing.json")
    monkeypatch.setattr(background, "_loaded", [])
    assert background.instruction_probability(["UBND tỉnh đã có nhiều văn bản chỉ đạo."]) is None


NOTICE = ARTICLE + " " + " ".join([
    "Theo đó, UBND tỉnh đã có nhiều văn bản chỉ đạo các sở, ngành và địa phương về công tác phòng, chống thiên tai, "
    "tuy nhiên việc triển khai ở một số nơi còn chậm, chưa quyết liệt.",
    "Sở Tài chính đã bố trí kinh phí cho các địa phương khắc phục hậu quả bão số 3 trong tháng 9.",
    "Cử tri phường Thuận An kiến nghị sớm sửa chữa tuyến đường ven biển bị sạt lở sau mưa lũ.",
    "Sở Xây dựng rà soát các công trình trọng điểm, báo cáo UBND tỉnh trước ngày 15/12/2026.",
    "Sở Nông nghiệp và Môi trường phối hợp với UBND các xã, phường kiểm tra hệ thống đê điều, hồ chứa; hoàn thành "
    "trước ngày 20/12/2026.",
    "Công an tỉnh bảo đảm an ninh, trật tự tại các khu vực xung yếu trong mùa mưa bão.",
    "Sở Văn hóa, Thể thao và Du lịch tuyên truyền kỹ năng phòng, chống thiên tai cho người dân.",
    "Các sở, ngành căn cứ chức năng, nhiệm vụ được giao khẩn trương triển khai thực hiện.",
] * 2)


def test_the_bot_scores_a_long_notice_without_numpy_scipy_or_scikit_learn() -> None:
    script = """
import sys
from datetime import datetime
import bot.app  # noqa: F401
from bot.domain.calendar import WorkingCalendar
from bot.parsing import UnitIndex, background, parse_message
from bot.parsing.result import PROBLEM_BACKGROUND
from tests.unit.parsing.conftest import GROUPS, UNITS
result = parse_message(sys.stdin.read(), at=datetime.fromisoformat("2026-11-20T09:00:00+07:00"),
                       calendar=WorkingCalendar(), index=UnitIndex(UNITS, GROUPS))
print(json.dumps({"loaded": [k for k in ("numpy", "scipy", "sklearn") if k in sys.modules],
                  "model": bool(background._loaded and background._loaded[0]),
                  "asked": sum(PROBLEM_BACKGROUND in d.problems for d in result.directives)}))
"""
    assert len(NOTICE) >= 2000
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", "import json\n" + script], input=NOTICE, capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120, check=True)
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["model"] and report["asked"] >= 1, report  # the model was read and asked
    assert report["loaded"] == []
