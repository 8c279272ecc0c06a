"""A chat message is a question to answer or a directive to draft, by its form (bot/parsing/mood.py): officials
ask without a question mark, and instruct with the words a question uses. Where the form does not tell, the
bot asks which is meant (ParseResult.ambiguous), never drafting silently."""

from __future__ import annotations

import pytest

from bot.parsing import Query, to_corpus_json
from bot.parsing.mood import read_mood
from bot.parsing.normalise import Analysed
from tests.unit.parsing.conftest import Parse

# How officials ask about work in chat, and what they get: a list or the figures, never a draft.
QUESTIONS = [
    ("Sở Y tế thực hiện nhiệm vụ đến đâu", Query("my_tasks", "SYT")),
    ("Sở Y tế thực hiện nhiệm vụ đến đâu rồi?", Query("my_tasks", "SYT")),
    ("tình hình thực hiện các nhiệm vụ của Sở Y tế", Query("my_tasks", "SYT")),
    ("tình hình thực hiện nhiệm vụ của Sở Xây dựng thế nào", Query("my_tasks", "SXD")),
    ("Sở Xây dựng triển khai các việc được giao thế nào", Query("my_tasks", "SXD")),
    ("tiến độ của Sở Tư pháp ra sao", Query("my_tasks", "STP")),
    ("Công an tỉnh làm đến đâu rồi nhỉ", Query("my_tasks", "CA")),
    ("Sở Tài chính đã xong chưa", Query("my_tasks", "STC")),
    ("UBND xã Phong Điền đã hoàn thành chưa ạ", Query("my_tasks", "X-PHONGDIEN")),
    ("việc rà soát hồ sơ của Sở Y tế đã xong chưa", Query("my_tasks", "SYT")),
    ("cho biết tình hình của Sở Y tế", Query("my_tasks", "SYT")),
    ("cho tôi biết các việc quá hạn của Sở Xây dựng", Query("overdue", "SXD")),
    ("báo cáo tôi tình hình Sở Y tế", Query("my_tasks", "SYT")),
    ("báo cáo cho tôi tình hình quý 4/2026", Query("stats", None, "2026-Q4")),
    ("kiểm tra giúp việc của phường Thuận An", Query("my_tasks", "P-THUANAN")),
    ("xem giúp Sở Tài chính có việc nào trễ không", Query("overdue", "STC")),
    ("những việc nào của Sở Y tế sắp đến hạn", Query("due_soon", "SYT")),
    ("Sở Y tế có việc nào trễ không", Query("overdue", "SYT")),
    ("bao nhiêu việc quá hạn", Query("overdue")),
    ("còn mấy việc của Sở Nông nghiệp và Môi trường", Query("my_tasks", "SNNMT")),
    ("Sở Y tế quý 4/2026 thực hiện thế nào", Query("stats", "SYT", "2026-Q4")),
    ("tình hình thực hiện nhiệm vụ tháng 11", Query("stats", None, "2026-11")),
    ("Sở Y tế năm 2026 hoàn thành được bao nhiêu việc", Query("stats", "SYT", "2026")),
    ("so y te thuc hien nhiem vu den dau", Query("my_tasks", "SYT")),
    ("tinh hinh thuc hien nhiem vu cua so xay dung", Query("my_tasks", "SXD")),
    ("cong an tinh da xong chua", Query("my_tasks", "CA")),
    ("việc Phó Chủ tịch giao Sở Y tế đã xong chưa", Query("my_tasks", "SYT")),
    ("CD-2026-0012 đến đâu rồi", Query("search", None, None, "CD-2026-0012")),
    ("các địa phương thực hiện đến đâu", Query("my_tasks", "#dia-phuong")),
    ("Sở Văn hóa, Thể thao và Du lịch xử lý việc đó ra sao", Query("my_tasks", "SVHTTDL")),
    ("phường Thuận Hóa có việc gì chưa làm không", Query("my_tasks", "P-THUANHOA")),
    ("Sở Y tế đã báo cáo chưa", Query("my_tasks", "SYT")),
    ("Sở Y tế đã nộp báo cáo chưa", Query("my_tasks", "SYT")),
    ("Sở Y tế đã làm gì với vụ ngộ độc", Query("my_tasks", "SYT")),
    ("tôi muốn biết tình hình của Công an tỉnh", Query("my_tasks", "CA")),
    ("anh xem giúp Sở Y tế còn việc gì", Query("my_tasks", "SYT")),
    ("tuần này có việc gì đến hạn không", Query("due_soon", None, "this_week")),
    ("Sở Tư pháp có bị chậm việc nào không", Query("overdue", "STP")),
    ("thống kê giúp tôi quý 3/2026", Query("stats", None, "2026-Q3")),
    ("dự án đường ven biển sao rồi", Query("my_tasks")),
    ("xem giup so tai chinh co viec nao tre khong", Query("overdue", "STC")),
    ("cd-2026-0012 den dau roi", Query("search", None, None, "cd-2026-0012")),
    ("SỞ Y TẾ THỰC HIỆN NHIỆM VỤ ĐẾN ĐÂU", Query("my_tasks", "SYT")),
    ("phuong thuan an lam toi dau roi", Query("my_tasks", "P-THUANAN")),
]

# Instructions: an issuer's command verb at the start, an addressee, often a deadline; or a unit with a task verb.
# Each is drafted, whatever question words it holds.
DIRECTIVES = [
    ("Giao Sở Y tế báo cáo tình hình thực hiện tiêm chủng trước ngày 15/12/2026", ("SYT",)),
    ("Đề nghị các sở, ngành kiểm tra, rà soát hồ sơ đất đai trước 30/12/2026", ("#so-nganh",)),
    ("Yêu cầu UBND các xã, phường báo cáo kết quả thực hiện trước ngày 10/12", ("#dia-phuong",)),
    ("Chỉ đạo Công an tỉnh kiểm tra, xử lý vi phạm trật tự đô thị", ("CA",)),
    ("Giao Sở Xây dựng kiểm tra tiến độ dự án đường ven biển", ("SXD",)),
    ("Phó Chủ tịch UBND tỉnh giao Sở Y tế rà soát trang thiết bị trước 15/12", ("SYT",)),
    ("Chủ tịch UBND tỉnh yêu cầu: Sở Tài chính khẩn trương cân đối nguồn vốn", ("STC",)),
    ("Giao Công an tỉnh rà soát, không để sót trường hợp nào", ("CA",)),
    ("Yêu cầu Sở Y tế bảo đảm không để xảy ra sai sót gì trong tiêm chủng", ("SYT",)),
    ("Sở Y tế báo cáo tình hình dịch bệnh trước 15/12", ("SYT",)),
    ("Sở Y tế đẩy nhanh tiến độ giải ngân vốn đầu tư công", ("SYT",)),
    ("Sở Y tế kiểm tra an toàn thực phẩm dịp Tết", ("SYT",)),
    ("Sở Tài chính tham mưu phương án xử lý trước 20/12", ("STC",)),
    ("Sở Y tế rà soát trẻ em chưa tiêm chủng", ("SYT",)),
    ("giao so xay dung chu tri ra soat cac du an cham tien do truoc 15/12", ("SXD",)),
    ("Phân công Sở Tư pháp thẩm định dự thảo quy định trong 5 ngày làm việc", ("STP",)),
    ("Sở Nông nghiệp và Môi trường kiểm tra hồ chứa trước mùa mưa", ("SNNMT",)),
    ("Xem xét giải quyết kiến nghị của cử tri: giao Sở Xây dựng chủ trì, báo cáo trước 31/12", ("SXD",)),
    ("Đề nghị Sở Y tế cho biết tình hình thực hiện trước 5/12", ("SYT",)),
    ("Giao Sở Tài chính tổng hợp, báo cáo tôi kết quả trước ngày 20/12/2026", ("STC",)),
    ("Công an tỉnh xử lý dứt điểm, khi nào xong báo cáo", ("CA",)),
    ("Sở Xây dựng chủ trì, phối hợp Sở Tài chính rà soát các dự án chậm tiến độ", ("SXD",)),
    ("Sở Y tế báo cáo UBND tỉnh tình hình dịch sốt xuất huyết", ("SYT",)),
    ("Sở Y tế làm rõ tình hình ngộ độc thực phẩm", ("SYT",)),
    ("Sở Y tế tiếp tục theo dõi tình hình dịch bệnh", ("SYT",)),
    ("Sở Y tế nắm tình hình, báo cáo kịp thời", ("SYT",)),
    ("UBND phường Thuận An giải quyết dứt điểm đơn thư của công dân", ("P-THUANAN",)),
]

# Neither form tells: a unit and a report verb on how work goes, with no command, deadline or interrogative;
# a command put as a question; a polite «Đề nghị cho biết …» with nobody addressed.
EITHER = [
    ("Sở Y tế báo cáo tình hình thực hiện nhiệm vụ", Query("my_tasks", "SYT")),
    ("Sở Xây dựng báo cáo tiến độ dự án đường ven biển", Query("my_tasks", "SXD")),
    ("Giao Sở Y tế rà soát, đã hoàn thành chưa?", Query("my_tasks", "SYT")),
    ("Đề nghị cho biết tình hình của Sở Y tế", Query("my_tasks", "SYT")),
    ("Sở Y tế tiến độ tiêm chủng", Query("my_tasks", "SYT")),
]


def test_the_table_holds_at_least_thirty_questions_and_twenty_five_directives() -> None:
    assert len(QUESTIONS) >= 30 and len(DIRECTIVES) >= 25


@pytest.mark.parametrize(("text", "expected"), QUESTIONS, ids=[t for t, _ in QUESTIONS])
def test_a_question_typed_as_officials_ask_is_answered_never_drafted(parse: Parse, text: str,
                                                                     expected: Query) -> None:
    result = parse(text)
    assert result.kind == "query", result
    assert result.query == expected


@pytest.mark.parametrize(("text", "lead"), DIRECTIVES, ids=[t for t, _ in DIRECTIVES])
def test_an_instruction_stays_a_draft_directive_with_its_lead(parse: Parse, text: str, lead: tuple[str, ...]) -> None:
    result = parse(text)
    assert result.kind == "directives" and not result.ambiguous, result
    assert result.directives[0].lead == lead


@pytest.mark.parametrize(("text", "question"), EITHER, ids=[t for t, _ in EITHER])
def test_a_message_that_reads_both_ways_carries_the_draft_and_the_question_to_ask_which(
        parse: Parse, text: str, question: Query) -> None:
    result = parse(text)
    assert result.ambiguous, result
    assert result.query == question and result.directives
    assert to_corpus_json(result)["or_query"]["intent"] == question.intent


def test_a_deadline_makes_a_report_order_a_directive_where_without_it_the_bot_asks(parse: Parse) -> None:
    assert parse("Sở Y tế báo cáo tình hình thực hiện nhiệm vụ").ambiguous
    dated = parse("Sở Y tế báo cáo tình hình thực hiện nhiệm vụ trước 15/12")
    assert dated.kind == "directives" and not dated.ambiguous


def test_a_question_word_after_a_negation_or_as_a_clause_of_the_sentence_asks_nothing() -> None:
    for text in ("Giao Công an tỉnh rà soát, không để sót trường hợp nào",
                 "Yêu cầu các đơn vị không để xảy ra sai sót gì",
                 "Giao Sở Y tế xử lý, khi nào xong thì báo cáo",
                 "Giao các xã thu hoạch đến đâu làm đất đến đó",
                 "Giao Sở Y tế phối hợp với đơn vị nào đó có liên quan",
                 "Sở Y tế rà soát, cơ sở nào chưa đạt thì đình chỉ",
                 "Khi nào xong thì Sở Y tế báo cáo ngay"):
        assert not read_mood(Analysed.of(text)).asked, text


def test_words_that_fold_like_question_words_ask_only_when_typed_as_them() -> None:
    """«dầu» (oil), «máy» (machine), «hồ» (lake), «tới» (to) fold like «đâu», «mấy», «hộ», «tôi»."""
    for text in ("Sở Công Thương kiểm tra thị trường xăng dầu", "Sở Y tế bố trí đủ máy thở",
                 "Kiểm tra hồ chứa thủy lợi trước mùa mưa", "Báo cáo tới UBND tỉnh kết quả rà soát"):
        assert not read_mood(Analysed.of(text)).asked, text
    for text in ("so y te lam den dau", "con may viec cua so y te", "kiem tra ho toi viec cua so y te"):
        assert read_mood(Analysed.of(text)).asked, text


def test_the_issuer_before_the_command_verb_still_makes_it_a_command() -> None:
    for text in ("Phó Chủ tịch UBND tỉnh Nguyễn Văn A giao Sở Y tế rà soát", "Chủ tịch UBND tỉnh yêu cầu: Sở Y tế …",
                 "1. Giao Sở Y tế chủ trì", "Đồng chí Phó Chủ tịch chỉ đạo Công an tỉnh …"):
        assert read_mood(Analysed.of(text)).commanded, text
    for text in ("chỉ đạo của UBND tỉnh về sạt lở đã thực hiện đến đâu", "việc Phó Chủ tịch giao đã xong chưa"):
        assert not read_mood(Analysed.of(text)).commanded, text


def test_progress_as_the_object_of_a_task_verb_is_a_task_not_a_question() -> None:
    assert not read_mood(Analysed.of("Sở Y tế đẩy nhanh tiến độ giải ngân")).progress
    assert not read_mood(Analysed.of("Sở Xây dựng kiểm tra tiến độ dự án")).progress
    assert read_mood(Analysed.of("Sở Y tế báo cáo tiến độ dự án")).progress


def test_a_pasted_text_has_no_chat_mood_even_with_question_words_in_it() -> None:
    pasted = ("UBND tỉnh yêu cầu các huyện hoàn thành giải phóng mặt bằng trước ngày 25/3.\n"
              "Sau thời gian trên, địa phương nào không hoàn thành thì làm đến đâu chịu trách nhiệm đến đó?")
    mood = read_mood(Analysed.of(pasted))
    assert not (mood.chat or mood.asked or mood.commanded or mood.progress)


def test_a_word_of_progress_in_a_statement_or_a_question_about_no_units_work_is_no_query(parse: Parse) -> None:
    assert parse("Tiến độ đã chậm, không thể lùi thêm").kind == "unknown"
    assert parse("Ai đang giữ hồ sơ này vậy?").kind == "unknown"
    assert parse("Báo cáo tình hình giải ngân").query == Query("stats"), "no unit: the province's figures, as before"


def test_a_message_that_reads_either_way_is_a_question_for_who_cannot_assign_and_asked_of_who_can(
        parse: Parse) -> None:
    either = parse("Sở Y tế báo cáo tình hình thực hiện nhiệm vụ")
    assert either.as_read_by(can_assign=True) is either and either.ambiguous
    asked = either.as_read_by(can_assign=False)
    assert asked.kind == "query" and asked.query == either.query and not asked.directives
    plain = parse("Giao Sở Y tế báo cáo tình hình thực hiện nhiệm vụ trước ngày 15/12/2026")
    assert plain.as_read_by(can_assign=False) is plain  # a directive stays one: the service refuses who cannot
