"""Issue 25, "ask, don't guess": classes of writing on which the parser read a wrong unit or invented a task
without asking, in sentences written for these tests in the style of press summaries and letters. Each test
names the class; the draft either reads the text right or carries a question."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.domain.calendar import WorkingCalendar
from bot.domain.units import Unit, UnitGroup
from bot.parsing import DraftDirective, UnitIndex, parse_message
from bot.parsing.result import PROBLEM_BACKGROUND, PROBLEM_NO_LEAD, PROBLEM_UNRESOLVED

UNITS = [
    Unit("SYT", "Sở Y tế", "department", ("so-nganh",), ()),
    Unit("SXD", "Sở Xây dựng", "department", ("so-nganh",), ()),
    Unit("SCT", "Sở Công Thương", "department", ("so-nganh",), ()),
    Unit("SNNMT", "Sở Nông nghiệp và Môi trường", "department", ("so-nganh",),
         ("Sở Nông nghiệp và Phát triển nông thôn",)),
    Unit("STC", "Sở Tài chính", "department", ("so-nganh",), ("Sở Kế hoạch và Đầu tư",)),
    Unit("TTR", "Thanh tra tỉnh", "agency", (), ("Thanh tra",)),
    Unit("CA", "Công an tỉnh", "agency", (), ()),
    Unit("H-ANLAO", "UBND huyện An Lão", "district", ("huyen",), ()),
    Unit("H-VINHTHANH", "UBND huyện Vĩnh Thạnh", "district", ("huyen",), ("huyện Vĩnh Thạnh",)),
]
GROUPS = [
    UnitGroup("so-nganh", "Các sở, ban, ngành", ("các sở, ngành",), ("SYT", "SXD", "SCT", "SNNMT", "STC")),
    UnitGroup("huyen", "UBND các huyện, thị xã, thành phố", ("UBND các huyện", "các địa phương"),
              ("H-ANLAO", "H-VINHTHANH")),
]
AT = datetime.fromisoformat("2024-05-20T09:00:00+07:00")


@pytest.fixture(scope="module")
def index() -> UnitIndex:
    return UnitIndex(UNITS, GROUPS)


def _read(index: UnitIndex, text: str) -> list[DraftDirective]:
    result = parse_message(text, at=AT, calendar=WorkingCalendar(), index=index)
    return list(result.directives) if result.kind == "directives" else []


def test_a_request_as_a_noun_is_no_task(index: UnitIndex) -> None:
    [d] = _read(index, "Cử tri xã An Hòa đề nghị: xem xét mở tuyến đường liên xã.\nTRẢ LỜI:\nĐề nghị của cử tri là "
                       "chính đáng, tuy nhiên do ngân sách còn hạn hẹp nên chưa thể đầu tư. Ủy ban nhân dân tỉnh giao "
                       "UBND huyện An Lão xem xét, bố trí nguồn vốn do huyện quản lý để đầu tư tuyến đường.")
    assert d.lead == ("H-ANLAO",) and "bố trí nguồn vốn" in d.content


def test_a_lower_level_body_of_a_department_name_is_asked_not_the_province_one(index: UnitIndex) -> None:
    [d] = _read(index, "Chủ tịch UBND huyện giao:\nThanh tra huyện chủ trì, tham mưu thành lập Tổ công tác kiểm tra, "
                       "xác minh nội dung phản ánh của công dân và báo cáo kết quả trước ngày 29/5/2024.")
    assert d.lead == () and d.unresolved == ("Thanh tra huyện",) and PROBLEM_UNRESOLVED in d.problems


def test_inspect_as_a_verb_is_no_inspectorate(index: UnitIndex) -> None:
    drafts = _read(index, "UBND tỉnh giao Sở Y tế chủ trì kiểm kê các cơ sở khám chữa bệnh tư nhân trên địa bàn tỉnh. "
                          "Thanh tra, kiểm tra, xử lý vi phạm trong hoạt động khám chữa bệnh theo thẩm quyền.")
    assert [d.lead for d in drafts] == [("SYT",)]


def test_who_attended_and_whom_the_leader_heard_assign_nothing(index: UnitIndex) -> None:
    drafts = _read(index, "Ngày 10/9, Chủ tịch UBND tỉnh đã đi kiểm tra công tác chuẩn bị.\n\nCùng đi có Giám đốc Sở Du "
                          "lịch; lãnh đạo huyện Vĩnh Thạnh.\n\nSau khi nghe lãnh đạo Sở Du lịch, huyện Vĩnh Thạnh, các "
                          "chủ đầu tư, nhà thầu báo cáo tiến độ thi công; giải pháp thực hiện… Chủ tịch UBND tỉnh nhấn "
                          "mạnh: Thời gian là rất gấp, vì vậy, các sở, ngành của tỉnh chỉ đạo các chủ đầu tư tập trung "
                          "nhân lực để đẩy nhanh tiến độ.")
    assert [d.lead for d in drafts] == [("#so-nganh",)]


def test_a_numbered_unit_line_heads_the_lettered_tasks_below_it(index: UnitIndex) -> None:
    drafts = _read(index, "Theo đó, Chủ tịch UBND tỉnh giao nhiệm vụ cụ thể như sau:\n1.Sở Công Thương chủ trì, phối "
                          "hợp với các sở, ngành, địa phương liên quan\na) Chủ động nắm bắt tình hình cung ứng hàng hóa, "
                          "theo dõi sát diễn biến thị trường.\nb) Kiểm tra, kiểm soát giá cả các mặt hàng thiết yếu.")
    assert [d.lead for d in drafts] == [("SCT",), ("SCT",)]
    assert "theo dõi sát diễn biến thị trường" in drafts[0].content


def test_an_article_lead_that_summarises_a_letter_is_dropped_for_the_tasks_below(index: UnitIndex) -> None:
    drafts = _read(index, "Chủ tịch UBND tỉnh vừa ban hành Chỉ thị số 01/CT-UBND yêu cầu các sở, ngành, địa phương "
                          "triển khai đồng bộ nhiều nhiệm vụ trọng tâm trong dịp Tết.\n\nTheo đó, Chủ tịch UBND tỉnh "
                          "giao nhiệm vụ cụ thể như sau:\n\n1. Sở Công Thương chủ trì theo dõi sát diễn biến thị "
                          "trường, giá cả các mặt hàng thiết yếu.")
    assert [d.lead for d in drafts] == [("SCT",)]


def test_an_article_lead_that_is_the_only_task_read_asks_whether_it_is_one(index: UnitIndex) -> None:
    [d] = _read(index, "Chủ tịch UBND tỉnh vừa ban hành Chỉ thị số 01/CT-UBND yêu cầu các sở, ngành triển khai đồng bộ "
                       "nhiều nhiệm vụ trọng tâm trong dịp Tết Nguyên đán.\n\nTheo đó, về bảo đảm cung ứng hàng hóa, "
                       "không để xảy ra tình trạng thiếu hàng, tăng giá đột biến trong dịp cuối năm.")
    assert PROBLEM_BACKGROUND in d.problems


def test_a_person_speaking_after_an_opening_phrase_that_names_a_unit(index: UnitIndex) -> None:
    [d] = _read(index, "Sau khi báo chí phản ánh về các điểm khai thác cát của Sở Xây dựng cấp phép, ông Nguyễn Văn Hòa "
                       "- Chủ tịch UBND tỉnh chỉ đạo Giám đốc Sở Nông nghiệp và Phát triển nông thôn, Chi cục trưởng Chi "
                       "cục Kiểm lâm khẩn trương tổ chức kiểm tra, xác minh nội dung phản ánh.")
    assert (d.lead, d.unresolved) == (("SNNMT",), ("Chi cục Kiểm lâm",))
    assert d.content.startswith("khẩn trương tổ chức kiểm tra")


def test_names_after_a_report_verb_are_its_objects_not_a_new_task(index: UnitIndex) -> None:
    drafts = _read(index, "UBND tỉnh yêu cầu Công an tỉnh khẩn trương điều tra, xử lý vụ việc phá rừng. Sau khi có kết "
                          "quả điều tra, UBND tỉnh sẽ báo cáo Thủ tướng, Bộ Nông nghiệp và Phát triển nông thôn và các "
                          "bộ, ngành trung ương.")
    assert [d.lead for d in drafts] == [("CA",)]


def test_a_body_in_lower_case_after_the_issuer_verb_is_a_new_task(index: UnitIndex) -> None:
    drafts = _read(index, "UBND tỉnh chỉ đạo Sở Nông nghiệp và Môi trường kiểm tra hiện trường vụ phá rừng.\n\nĐồng thời, "
                          "tỉnh yêu cầu công an khẩn trương điều tra, làm rõ và xử lý nghiêm theo quy định pháp luật. "
                          "Trong quá trình điều tra, Công an tỉnh thường xuyên báo cáo, thỉnh thị ý kiến của Bộ Công an.")
    assert [d.lead for d in drafts] == [("SNNMT",), ("CA",)]
    assert "xử lý nghiêm" not in drafts[0].content
    assert "làm rõ và xử lý nghiêm" in drafts[1].content and "thỉnh thị ý kiến" in drafts[1].content


def test_a_task_in_a_sentence_that_tells_an_earlier_letter_asks(index: UnitIndex) -> None:
    drafts = _read(index, "Theo đó, Phó Chủ tịch UBND tỉnh có ý kiến như sau: Ngày 25/2/2024, Chủ tịch UBND tỉnh đã có "
                          "Công văn số 2382/UBND-THKH thống nhất mẫu đề cương các đề án; đồng thời, giao Sở Kế hoạch và "
                          "Đầu tư chủ trì hướng dẫn các ngành, địa phương hoàn thiện đề cương.\nGiao Sở Nông nghiệp và Môi "
                          "trường khẩn trương hoàn chỉnh đề án, trình duyệt theo quy định.")
    assert [d.lead for d in drafts] == [("STC",), ("SNNMT",)]
    assert PROBLEM_BACKGROUND in drafts[0].problems and PROBLEM_BACKGROUND not in drafts[1].problems


def test_units_qualified_by_what_they_were_given_are_asked_for(index: UnitIndex) -> None:
    [d] = _read(index, "Theo đó, đối với địa bàn của UBND huyện An Lão (cũ), UBND tỉnh giao các đơn vị được phân cấp, "
                       "ủy quyền theo các văn bản đã ban hành để tiếp tục quản lý, duy trì hệ thống hạ tầng kỹ thuật.")
    assert d.lead == () and PROBLEM_NO_LEAD in d.problems and "duy trì hệ thống hạ tầng kỹ thuật" in d.content


def test_a_party_committee_asked_for_help_is_a_body_to_ask_about(index: UnitIndex) -> None:
    drafts = _read(index, "UBND tỉnh yêu cầu Chủ tịch UBND huyện An Lão chỉ đạo tăng cường quản lý đất đai trên địa bàn."
                          "\n\nĐề nghị Thường trực Huyện ủy An Lão lãnh đạo, chỉ đạo UBND huyện An Lão tăng cường quản "
                          "lý nhà nước về đất đai.")
    assert [d.lead for d in drafts] == [("H-ANLAO",), ()]
    assert drafts[1].unresolved == ("Thường trực Huyện ủy An Lão",)


def test_a_generic_subject_after_an_adding_opener_starts_a_task_to_ask_about(index: UnitIndex) -> None:
    drafts = _read(index, "UBND tỉnh chỉ đạo UBND huyện An Lão cắm biển báo khu vực sạt lở, thông báo rộng rãi cho "
                          "người dân. Đồng thời, ngành chức năng theo dõi chặt diễn biến sạt lở, chuẩn bị các phương án "
                          "sẵn sàng ứng cứu.")
    assert [d.lead for d in drafts] == [("H-ANLAO",), ()]
    assert PROBLEM_NO_LEAD in drafts[1].problems and "chuẩn bị các phương án" in drafts[1].content


def test_a_company_named_with_its_trade_in_lower_case_does_not_cut_the_list(index: UnitIndex) -> None:
    [d] = _read(index, "Do vậy, UBND tỉnh yêu cầu Sở Nông nghiệp và Môi trường phối hợp với Công an tỉnh, Công ty TNHH "
                       "MTV khai thác công trình thủy lợi, UBND huyện An Lão kiểm tra tính pháp lý về đất đai của dự án.")
    assert (d.lead, d.support) == (("SNNMT",), ("CA", "H-ANLAO"))
    assert d.unresolved == ("Công ty TNHH MTV khai thác công trình thủy lợi",)


def test_bodies_after_whose_are_no_subject_but_the_issuer_after_them_is(index: UnitIndex) -> None:
    drafts = _read(index, "UBND tỉnh yêu cầu các sở, ngành nhanh chóng triển khai các phương án phòng chống bão. Trong "
                          "đó, triển khai quyết liệt chỉ đạo của Thủ tướng Chính phủ, Ban Chỉ đạo Phòng thủ dân sự Quốc "
                          "gia, Chủ tịch UBND tỉnh về việc chủ động ứng phó với bão; theo dõi chặt chẽ diễn biến của bão."
                          "\n\nTheo đề nghị của Sở Tài chính, UBND tỉnh giao Sở Xây dựng kiểm tra các công trình.")
    assert [d.lead for d in drafts] == [("#so-nganh",), ("SXD",)]
    assert "theo dõi chặt chẽ diễn biến" in drafts[0].content


def test_a_letter_that_states_a_task_for_a_generic_subject_asks_whose(index: UnitIndex) -> None:
    drafts = _read(index, "Văn bản của UBND tỉnh nêu rõ, trong thời gian học sinh nghỉ học, các đơn vị chỉ đạo các "
                          "trường triển khai thực hiện nghiêm các biện pháp phòng, chống dịch bệnh.\n\nSở Y tế tiếp tục "
                          "theo dõi chặt chẽ diễn biến tình hình dịch bệnh.")
    assert [d.lead for d in drafts] == [(), ("SYT",)]
    assert PROBLEM_NO_LEAD in drafts[0].problems and "biện pháp phòng, chống dịch bệnh" in drafts[0].content


def test_a_generic_group_the_issuer_tells_in_a_sentence_of_its_own_is_a_task_to_ask_about(index: UnitIndex) -> None:
    drafts = _read(index, "UBND tỉnh giao Sở Y tế kiểm tra các cơ sở khám chữa bệnh tư nhân trên địa bàn. Phó Chủ tịch "
                          "UBND tỉnh cũng yêu cầu các lực lượng chức năng tăng cường tuần tra, kiểm soát trên các tuyến "
                          "đường.")
    assert [d.lead for d in drafts] == [("SYT",), ()]
    assert PROBLEM_NO_LEAD in drafts[1].problems and "tuần tra" not in drafts[0].content


def test_a_bare_back_reference_the_letter_tells_goes_on_with_the_task(index: UnitIndex) -> None:
    drafts = _read(index, "UBND tỉnh đề nghị Sở Y tế; UBND các huyện rà soát các dự án chậm tiến độ. Văn bản đề nghị các "
                          "đơn vị gửi kết quả rà soát về Sở Tài chính trước ngày 31/5/2024.")
    assert [d.lead for d in drafts] == [("SYT", "#huyen")]


def test_a_group_that_directs_a_body_of_its_own_does_the_task(index: UnitIndex) -> None:
    drafts = _read(index, "Theo đó, Ban Chỉ huy Phòng chống thiên tai tỉnh đề nghị UBND các huyện tăng cường cảnh giác "
                          "với xâm nhập mặn.\nCác địa phương chỉ đạo Đài Truyền thanh địa phương thông tin rộng rãi về "
                          "tình hình xâm nhập mặn để người dân biết.\nCông ty Khai thác công trình thủy lợi, Công ty Cấp "
                          "thoát nước quan trắc, theo dõi chặt chẽ độ mặn tại các cửa lấy nước.")
    assert [d.lead for d in drafts] == [("#huyen",), ("#huyen",), ()]
    assert drafts[2].unresolved[0] == "Công ty Khai thác công trình thủy lợi"


def test_the_city_written_for_the_province_names_the_province_unit(index: UnitIndex) -> None:
    [d] = _read(index, "Chủ tịch UBND TP vừa yêu cầu Công an TP tổ chức thanh tra việc chấp hành quy định về phòng "
                       "cháy chữa cháy tại các khu chung cư.")
    assert (d.lead, d.unresolved) == (("CA",), ())


def test_the_letter_closing_formula_after_its_task_is_no_task(index: UnitIndex) -> None:
    drafts = _read(index, "Giao Chi cục Kiểm lâm chủ trì, phối hợp với UBND huyện An Lão kiểm tra, xác minh ngay thông "
                          "tin báo chí phản ánh; báo cáo kết quả về UBND tỉnh trước ngày 30/5/2024.\n\nNhận được Công văn "
                          "này, yêu cầu Chi cục Kiểm lâm, UBND huyện An Lão khẩn trương triển khai thực hiện.")
    assert len(drafts) == 1 and drafts[0].unresolved == ("Chi cục Kiểm lâm",)


def test_a_deadline_only_the_headline_gives_is_proposed_with_a_question(index: UnitIndex) -> None:
    [d] = _read(index, "Kiên quyết xử lý các chung cư vi phạm phòng cháy trong quý 2/2024\n\nANTD.VN - Chủ tịch UBND "
                       "tỉnh vừa yêu cầu Công an tỉnh tổ chức thanh tra việc chấp hành quy định về phòng cháy chữa cháy "
                       "tại các khu chung cư.")
    assert d.lead == ("CA",) and d.deadline == date(2024, 6, 30)
    assert d.questions == ("headline_deadline:2024-06-30",)
    [d] = _read(index, "Kiên quyết xử lý các chung cư vi phạm phòng cháy trong quý 2/2024\n\nChủ tịch UBND tỉnh yêu cầu "
                       "Công an tỉnh tổ chức thanh tra các khu chung cư, hoàn thành trước ngày 15/6/2024.")
    assert d.deadline == date(2024, 6, 15) and d.questions == ()  # the task's own deadline: nothing to ask
